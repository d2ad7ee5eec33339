import { readFileSync } from 'node:fs';
import { metrics as otelMetrics, ValueType } from '@opentelemetry/api';
import { DataPointType } from '@opentelemetry/sdk-metrics';
import { type Metrics, NoopMetrics } from '@redcache/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createOtelMetrics, DEFAULT_METER_NAME } from './create-otel-metrics.js';
import { instruments } from './instruments.js';
import { observedInstruments } from './observed-instruments.js';
import { byName, inMemoryProvider } from './test-support/in-memory-metrics.js';
import { VERSION } from './version.js';

/** Every event of Metrics: NoopMetrics's, and callDuration (which it leaves out on purpose). */
const METRIC_METHODS = [
  ...Object.getOwnPropertyNames(NoopMetrics.prototype).filter((name) => name !== 'constructor'),
  'callDuration',
] as Array<keyof Metrics>;

/** Fires every event at least once, some twice, the attributed ones under two values. */
function runScenario(sink: Metrics): void {
  sink.cacheHits(1);
  sink.cacheHits(3);
  sink.cacheMisses(2);
  sink.lockContended(1);
  sink.lockContended(5);
  sink.lockWaitDuration(250);
  sink.lockWaitDuration(1_500);
  sink.loaderDuration(40);
  sink.loaderErrors(3);
  sink.redisError('read');
  sink.redisError('read');
  sink.redisError('set');
  sink.refreshTriggered(4);
  sink.refreshSkipped(2);
  sink.refreshDropped(1);
  sink.lockLost('user:1');
  sink.lockLost('user:2');
  sink.refreshError('user:3');
  sink.refreshPanicked('user:4');
  sink.refreshPanicked('user:5');
  sink.invalidationError();
  sink.redisDown?.('connection');
  sink.redisDown?.('timeouts');
  sink.redisUp?.(1_500);
  sink.commandTimeout?.('get');
  sink.commandTimeout?.('get');
  sink.failSafeServed?.(2, 'loader');
  sink.failSafeServed?.(1, 'redis');
  sink.degradedLoads?.(3);
  sink.loaderTimedOut?.('soft');
  sink.loaderTimedOut?.('hard');
  sink.callDuration?.('get', 'nearHit', 0.02);
  sink.callDuration?.('get', 'nearHit', 0.03);
  sink.nearEvictions?.(3);
  sink.nearEvictions?.(1);
  sink.nearExpirations?.(2);
}

/** What the scenario must produce, by instrument name. */
const expectedSums: Record<string, number> = {
  'redcache.cache.hits': 4,
  'redcache.cache.misses': 2,
  'redcache.lock.contended': 6,
  'redcache.loader.errors': 3,
  'redcache.refresh.triggered': 4,
  'redcache.refresh.skipped': 2,
  'redcache.refresh.dropped': 1,
  'redcache.lock.lost': 2,
  'redcache.refresh.errors': 1,
  'redcache.refresh.panicked': 2,
  'redcache.invalidation.errors': 1,
  'redcache.degraded.loads': 3,
  'redcache.near_cache.evictions': 4,
  'redcache.near_cache.expirations': 2,
};
const expectedHistograms: Record<
  string,
  { count: number; sum: number; min: number; max: number; attributes?: Record<string, string> }
> = {
  'redcache.lock.wait.duration': { count: 2, sum: 1.75, min: 0.25, max: 1.5 },
  'redcache.loader.duration': { count: 1, sum: 0.04, min: 0.04, max: 0.04 },
  'redcache.redis.outage.duration': { count: 1, sum: 1.5, min: 1.5, max: 1.5 },
  'redcache.call.duration': {
    count: 2,
    sum: 0.000_05,
    min: 0.000_02,
    max: 0.000_03,
    attributes: { op: 'get', outcome: 'nearHit' },
  },
};
/** The counters with an attribute: their sum per attribute set. */
const expectedByAttribute: Record<string, Record<string, number>> = {
  'redcache.redis.errors': { '{"op":"read"}': 2, '{"op":"set"}': 1 },
  'redcache.redis.down': { '{"reason":"connection"}': 1, '{"reason":"timeouts"}': 1 },
  'redcache.redis.timeouts': { '{"op":"get"}': 2 },
  'redcache.failsafe.served': { '{"cause":"loader"}': 2, '{"cause":"redis"}': 1 },
  'redcache.loader.timeouts': { '{"kind":"soft"}': 1, '{"kind":"hard"}': 1 },
};

describe('createOtelMetrics', () => {
  afterEach(() => {
    otelMetrics.disable();
  });

  it('has every Metrics method, as core validates the metrics option', () => {
    const sink = createOtelMetrics({ meterProvider: inMemoryProvider().provider });
    expect(METRIC_METHODS).toHaveLength(24);
    for (const method of METRIC_METHODS) expect(typeof sink[method], method).toBe('function');
  });

  it('maps every event to exactly one instrument, names unique and namespaced', () => {
    const mapped = METRIC_METHODS.filter((method) => method !== 'observe');
    expect(Object.keys(instruments).sort()).toEqual(mapped.sort());
    const names = Object.values(instruments).map((spec) => spec.name);
    const all = [...names, ...Object.values(observedInstruments).map((spec) => spec.name)];
    expect(new Set(all).size).toBe(all.length);
    for (const name of all) expect(name).toMatch(/^redcache(\.[a-z]+(_[a-z]+)*)+$/);
    const expected = [
      ...Object.keys(expectedSums),
      ...Object.keys(expectedHistograms),
      ...Object.keys(expectedByAttribute),
    ];
    expect(expected.sort()).toEqual([...names].sort());
  });

  it('reads back every instrument from the in-memory exporter after a scenario that fires every event', async () => {
    const { provider, collect } = inMemoryProvider();
    runScenario(createOtelMetrics({ meterProvider: provider }));
    const scopes = await collect();

    expect(scopes).toHaveLength(1);
    expect(scopes[0]?.scope).toMatchObject({ name: DEFAULT_METER_NAME, version: VERSION });
    const found = byName(scopes);
    expect([...found.keys()].sort()).toEqual(
      Object.values(instruments)
        .map((spec) => spec.name)
        .sort(),
    );

    for (const spec of Object.values(instruments)) {
      const metric = found.get(spec.name);
      expect(metric?.descriptor, spec.name).toMatchObject({
        name: spec.name,
        unit: spec.unit,
        description: spec.description,
        valueType: spec.kind === 'counter' ? ValueType.INT : ValueType.DOUBLE,
      });
    }

    for (const [name, total] of Object.entries(expectedSums)) {
      const metric = found.get(name);
      expect(metric?.dataPointType, name).toBe(DataPointType.SUM);
      if (metric?.dataPointType !== DataPointType.SUM) continue;
      expect(metric.isMonotonic, name).toBe(true);
      expect(metric.dataPoints, name).toHaveLength(1);
      expect(metric.dataPoints[0]?.attributes, `${name} carries no key`).toEqual({});
      expect(metric.dataPoints[0]?.value, name).toBe(total);
    }

    for (const [name, expected] of Object.entries(expectedHistograms)) {
      const metric = found.get(name);
      expect(metric?.dataPointType, name).toBe(DataPointType.HISTOGRAM);
      if (metric?.dataPointType !== DataPointType.HISTOGRAM) continue;
      expect(metric.dataPoints, name).toHaveLength(1);
      const point = metric.dataPoints[0]!;
      expect(point.attributes).toEqual(expected.attributes ?? {});
      expect(point.value.count, name).toBe(expected.count);
      expect(point.value.sum, name).toBeCloseTo(expected.sum, 12);
      expect(point.value.min, name).toBeCloseTo(expected.min, 12);
      expect(point.value.max, name).toBeCloseTo(expected.max, 12);
      const spec = Object.values(instruments).find((candidate) => candidate.name === name);
      expect(spec?.kind).toBe('histogram');
      if (spec?.kind === 'histogram') expect(point.value.buckets.boundaries, name).toEqual(spec.buckets);
    }

    for (const [name, expected] of Object.entries(expectedByAttribute)) {
      const metric = found.get(name);
      expect(metric?.dataPointType, name).toBe(DataPointType.SUM);
      const byAttribute = Object.fromEntries(
        (metric?.dataPoints ?? []).map((point) => [JSON.stringify(point.attributes), point.value]),
      );
      expect(byAttribute, name).toEqual(expected);
    }
  });

  it('records under the meter name it is given', async () => {
    const { provider, collect } = inMemoryProvider();
    createOtelMetrics({ meterProvider: provider, meterName: 'billing-cache' }).cacheHits(1);
    const scopes = await collect();
    expect(scopes.map((scope) => scope.scope.name)).toEqual(['billing-cache']);
    expect(byName(scopes).get('redcache.cache.hits')?.dataPoints[0]?.value).toBe(1);
  });

  it('exports every counter without attributes at 0 before it first moves (was: absent from a scrape until then, so a rate() over it had no series)', async () => {
    const { provider, collect } = inMemoryProvider();
    createOtelMetrics({ meterProvider: provider });
    const found = byName(await collect());
    const plain = Object.values(instruments).filter(
      (spec) => spec.kind === 'counter' && !('attribute' in spec) && !('perView' in spec),
    );
    expect(plain.length).toBeGreaterThan(5);
    for (const spec of plain) {
      expect(
        found.get(spec.name)?.dataPoints.map((point) => [point.attributes, point.value]),
        spec.name,
      ).toEqual([[{}, 0]]);
    }
  });

  it("forgets a source once its connection closes (was: a closed Conn's breaker and near cache were read for ever)", async () => {
    const { provider, collect } = inMemoryProvider();
    const sink = createOtelMetrics({ meterProvider: provider });
    const source = (state: 'open' | 'closed', entries: number) => ({
      nearCache: () => ({ entries, bytes: entries * 10 }),
      breakerState: () => state,
    });
    const forget = sink.observe!(source('open', 5));
    sink.observe!(source('closed', 2));
    const states = async () => {
      const found = byName(await collect());
      return {
        entries: found.get('redcache.near_cache.entries')?.dataPoints.map((point) => point.value),
        breaker: found
          .get('redcache.breaker.state')
          ?.dataPoints.map((point) => [point.attributes, point.value]),
      };
    };
    expect(await states()).toEqual({
      entries: [7],
      breaker: [
        [{ state: 'closed' }, 1],
        [{ state: 'open' }, 1],
      ],
    });
    expect(typeof forget).toBe('function');
    (forget as () => void)();
    expect(await states()).toEqual({
      entries: [2],
      breaker: [
        [{ state: 'closed' }, 1],
        [{ state: 'open' }, 0],
      ],
    });
  });

  it('callDuration: false leaves calls untimed, so a near hit reads no clock (was: every otel user paid two clock reads and an event per hit)', async () => {
    const { provider, collect } = inMemoryProvider();
    const sink = createOtelMetrics({ meterProvider: provider, callDuration: false });
    expect(sink.callDuration).toBeUndefined();
    sink.cacheHits(2, 'users');
    const found = byName(await collect());
    expect(found.has('redcache.call.duration')).toBe(false);
    expect(found.get('redcache.cache.hits')?.dataPoints.map((point) => point.value)).toEqual([2]);
    expect(createOtelMetrics({ meterProvider: provider }).callDuration).toBeTypeOf('function');
  });

  it('works with no provider at all: the global no-op one until an SDK is registered', () => {
    const sink = createOtelMetrics();
    expect(() => runScenario(sink)).not.toThrow();
  });

  it('uses the global meter provider by default', async () => {
    const { provider, collect } = inMemoryProvider();
    expect(otelMetrics.setGlobalMeterProvider(provider)).toBe(true);
    createOtelMetrics().loaderDuration(250);
    const loader = byName(await collect()).get('redcache.loader.duration');
    expect(loader?.dataPointType).toBe(DataPointType.HISTOGRAM);
    if (loader?.dataPointType !== DataPointType.HISTOGRAM) return;
    expect(loader.dataPoints[0]?.value.count).toBe(1);
    expect(loader.dataPoints[0]?.value.sum).toBe(0.25);
  });

  it('reports the version in package.json as the meter version', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(VERSION, 'src/version.ts must match package.json; update it after a version bump').toBe(
      manifest.version,
    );
  });

  it('documents every instrument, as instruments.ts defines it, in the README table', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const rows = readme
      .split('\n')
      .filter((line) => line.startsWith('| `redcache.'))
      .map((line) =>
        line
          .split('|')
          .slice(1, -1)
          .map((cell) => cell.trim().replaceAll('`', '')),
      );
    const documented = rows.map(([name, kind, unit, event, description]) => ({
      name,
      kind,
      unit,
      event: event?.replace(/\(.*\)$/, ''),
      description,
    }));
    const defined = [
      ...Object.entries(instruments),
      ...Object.values(observedInstruments).map((spec) => ['observe', spec] as const),
    ].map(([event, spec]) => ({
      name: spec.name,
      kind: spec.kind,
      unit: spec.unit,
      event,
      description: spec.description,
    }));
    expect(documented).toEqual(defined);
  });
});
