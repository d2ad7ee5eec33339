import { DataPointType } from '@opentelemetry/sdk-metrics';
import type { MetricsSource } from '@redcache/core';
import { describe, expect, it } from 'vitest';
import { createOtelMetrics } from './create-otel-metrics.js';
import { byName, countsOf, inMemoryProvider, valuesOf } from './test-support/in-memory-metrics.js';

const users = '{"redcache.cache.name":"users"}';
const orders = '{"redcache.cache.name":"orders"}';

/** A source whose answers the test sets. */
function source(entries: number, bytes: number, state: 'closed' | 'open' = 'closed') {
  const now = { entries, bytes, state };
  const observed: MetricsSource = {
    nearCache: () => ({ entries: now.entries, bytes: now.bytes }),
    breakerState: () => now.state,
  };
  return { observed, now };
}

describe('createOtelMetrics: view names and gauges', () => {
  it('records every per-call event under redcache.cache.name, and without it for an unnamed view', async () => {
    const { provider, collect } = inMemoryProvider();
    const sink = createOtelMetrics({ meterProvider: provider });
    sink.cacheHits(2, 'users');
    sink.cacheHits(1, 'orders');
    sink.cacheHits(5);
    sink.cacheMisses(1, 'users');
    sink.lockContended(1, 'orders');
    sink.lockWaitDuration(10, 'orders');
    sink.loaderDuration(20, 'users');
    sink.loaderDuration(30, 'users');
    sink.loaderErrors(1, 'users');
    sink.failSafeServed?.(2, 'loader', 'users');
    sink.failSafeServed?.(1, 'loader');
    sink.degradedLoads?.(3, 'orders');
    sink.loaderTimedOut?.('soft', 'users');
    const found = byName(await collect());
    expect(valuesOf(found.get('redcache.cache.hits'))).toEqual({ [users]: 2, [orders]: 1, '{}': 5 });
    expect(valuesOf(found.get('redcache.cache.misses'))).toEqual({ [users]: 1 });
    expect(valuesOf(found.get('redcache.lock.contended'))).toEqual({ [orders]: 1 });
    expect(countsOf(found.get('redcache.lock.wait.duration'))).toEqual({ [orders]: 1 });
    expect(countsOf(found.get('redcache.loader.duration'))).toEqual({ [users]: 2 });
    expect(valuesOf(found.get('redcache.loader.errors'))).toEqual({ [users]: 1 });
    expect(valuesOf(found.get('redcache.failsafe.served'))).toEqual({
      '{"cause":"loader","redcache.cache.name":"users"}': 2,
      '{"cause":"loader"}': 1,
    });
    expect(valuesOf(found.get('redcache.degraded.loads'))).toEqual({ [orders]: 3 });
    expect(valuesOf(found.get('redcache.loader.timeouts'))).toEqual({
      '{"kind":"soft","redcache.cache.name":"users"}': 1,
    });
  });

  it('redcache.call.duration: seconds by op, outcome and view, with buckets that tell sub-millisecond hits apart', async () => {
    const { provider, collect } = inMemoryProvider();
    const sink = createOtelMetrics({ meterProvider: provider });
    sink.callDuration?.('get', 'nearHit', 0.004, 'users'); // 4 µs
    sink.callDuration?.('get', 'nearHit', 0.03, 'users'); // 30 µs
    sink.callDuration?.('get', 'redisHit', 0.4, 'users'); // 400 µs
    sink.callDuration?.('get', 'loaded', 12, 'orders');
    sink.callDuration?.('set', 'written', 1);
    const metric = byName(await collect()).get('redcache.call.duration');
    expect(countsOf(metric)).toEqual({
      '{"op":"get","outcome":"nearHit","redcache.cache.name":"users"}': 2,
      '{"op":"get","outcome":"redisHit","redcache.cache.name":"users"}': 1,
      '{"op":"get","outcome":"loaded","redcache.cache.name":"orders"}': 1,
      '{"op":"set","outcome":"written"}': 1,
    });
    expect(metric?.descriptor.unit).toBe('s');
    if (metric?.dataPointType !== DataPointType.HISTOGRAM)
      throw new Error('redcache.call.duration is no histogram');
    const near = metric.dataPoints.find((point) => point.attributes.outcome === 'nearHit')!;
    expect(near.value.sum).toBeCloseTo(0.000_034, 12);
    const { boundaries, counts } = near.value.buckets;
    // 4 µs and 30 µs land in different buckets (≤ 10 µs, ≤ 50 µs), not both in the first.
    expect(counts[boundaries.indexOf(0.000_01)]).toBe(1);
    expect(counts[boundaries.indexOf(0.000_05)]).toBe(1);
  });

  it('the gauges read every observed source when collected, adding connections up', async () => {
    const { provider, collect } = inMemoryProvider();
    const sink = createOtelMetrics({ meterProvider: provider });
    let found = byName(await collect());
    expect(found.has('redcache.near_cache.entries'), 'nothing observed yet: no data point').toBe(false);

    const first = source(3, 120);
    const second = source(4, 80, 'open');
    sink.observe?.(first.observed);
    sink.observe?.(second.observed);
    found = byName(await collect());
    expect(valuesOf(found.get('redcache.near_cache.entries'))).toEqual({ '{}': 7 });
    expect(valuesOf(found.get('redcache.near_cache.size'))).toEqual({ '{}': 200 });
    expect(valuesOf(found.get('redcache.breaker.state'))).toEqual({
      '{"state":"closed"}': 1,
      '{"state":"open"}': 1,
    });
    expect(found.get('redcache.near_cache.size')?.descriptor.unit).toBe('By');

    second.now.state = 'closed';
    first.now.entries = 0;
    found = byName(await collect());
    expect(valuesOf(found.get('redcache.near_cache.entries'))).toEqual({ '{}': 4 });
    expect(valuesOf(found.get('redcache.breaker.state'))).toEqual({
      '{"state":"closed"}': 2,
      '{"state":"open"}': 0,
    });
  });

  it('near-cache evictions and expirations are counters of entries', async () => {
    const { provider, collect } = inMemoryProvider();
    const sink = createOtelMetrics({ meterProvider: provider });
    sink.nearEvictions?.(2);
    sink.nearEvictions?.(3);
    sink.nearExpirations?.(1);
    const found = byName(await collect());
    expect(valuesOf(found.get('redcache.near_cache.evictions'))).toEqual({ '{}': 5 });
    expect(valuesOf(found.get('redcache.near_cache.expirations'))).toEqual({ '{}': 1 });
  });
});
