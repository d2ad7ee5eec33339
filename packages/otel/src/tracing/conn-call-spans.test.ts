import { randomUUID } from 'node:crypto';
import { SpanStatusCode } from '@opentelemetry/api';
import type { Conn } from '@redcache/core';
import { newStringCache, StringCodec } from '@redcache/core';
import { connect } from '@redcache/node-redis';
import { getRedis, type RedisHandle } from '@redcache/redis-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPAN_ATTRIBUTES } from './span-attributes.js';
import { idOf, parentOf, useInMemoryTracing } from './test-support/in-memory-tracing.js';

const tracing = useInMemoryTracing();
const prefix = `redcache-test:otel:call-spans:${randomUUID()}:`;

/** Polls `check` until it holds; fails after `timeoutMs` (a liveness bound, not a speed check). */
async function eventually(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('createOtelTracing on every kind of call of a real Conn', () => {
  let redis: RedisHandle;
  let conn: Conn<unknown>;

  beforeAll(async () => {
    redis = await getRedis();
    // Refresh-ahead once a value has lived half its ttl, deterministically (beta 0).
    conn = await connect({ url: redis.url }, { refreshAfterFraction: 0.5, refreshBeta: 0 });
  });
  afterAll(async () => {
    await conn?.close();
    await redis?.stop();
  });

  const cache = () => newStringCache(conn, StringCodec, { name: 'products' });

  it('a getMulti that hits some keys and loads others: its span counts each outcome, with one load child', async () => {
    const keys = [`${prefix}m1`, `${prefix}m2`, `${prefix}m3`];
    await cache().forceSet(keys[0]!, 60_000, 'stored');
    tracing.subscribe({ keys: true });
    const values = await cache().getMulti(
      keys,
      60_000,
      async (missing) => new Map(missing.map((k) => [k, 'loaded'])),
    );
    expect([...values.values()]).toEqual(['stored', 'loaded', 'loaded']);
    const call = tracing.span('redcache getMulti');
    expect(call.attributes).toMatchObject({
      [SPAN_ATTRIBUTES.operation]: 'getMulti',
      [SPAN_ATTRIBUTES.view]: 'products',
      [SPAN_ATTRIBUTES.keyCount]: 3,
      [SPAN_ATTRIBUTES.outcome]: 'mixed',
      'redcache.outcome.loaded': 2,
      [SPAN_ATTRIBUTES.keys]: keys,
    });
    expect(
      Number(call.attributes['redcache.outcome.nearHit'] ?? 0) +
        Number(call.attributes['redcache.outcome.redisHit'] ?? 0),
    ).toBe(1);
    const load = tracing.span('redcache load');
    expect(parentOf(load)).toBe(idOf(call));
    expect(load.attributes[SPAN_ATTRIBUTES.keyCount]).toBe(2);
  });

  it('writes and peek get a span each, named by operation, with their outcome', async () => {
    const key = `${prefix}w`;
    tracing.subscribe();
    await cache().set(key, 60_000, async () => {
      tracing.provider.getTracer('app').startSpan('db write').end();
      return 'written';
    });
    await cache().touch(key, 60_000);
    await cache().del(key);
    expect(await cache().peek(key, 60_000)).toEqual({ found: false });
    const byName = new Map(
      tracing.spans().map((span) => [span.name, span.attributes[SPAN_ATTRIBUTES.outcome]]),
    );
    expect(byName.get('redcache set')).toBe('written');
    expect(byName.get('redcache touch')).toBe('written');
    expect(byName.get('redcache del')).toBe('written');
    expect(byName.get('redcache peek')).toBe('notFound');
    // A write's span is active while it runs: its loader's spans nest under it.
    expect(parentOf(tracing.span('db write'))).toBe(idOf(tracing.span('redcache set')));
  });

  it('a call that fail-safe rescues: its load span failed, the call span not, with outcome fallback', async () => {
    const key = `${prefix}rescued`;
    const failSafe = { maxStaleMs: '1m', throttleMs: 0 } as const;
    await cache().get(key, 100, async () => 'stale but kept', { failSafe });
    // Past its ttl, the value is only a fallback.
    await new Promise((resolve) => setTimeout(resolve, 150));
    tracing.subscribe();
    const value = await cache().get(
      key,
      100,
      async () => {
        throw new Error('database down');
      },
      { failSafe },
    );
    expect(value).toBe('stale but kept');
    const call = tracing.span('redcache get');
    const load = tracing.span('redcache load');
    expect(call.attributes[SPAN_ATTRIBUTES.outcome]).toBe('fallback');
    expect(call.status.code).toBe(SpanStatusCode.UNSET);
    expect(load.status).toEqual({ code: SpanStatusCode.ERROR, message: 'database down' });
    expect(parentOf(load)).toBe(idOf(call));
  });

  it('a refresh-ahead run is a span of its own trace, active while its loader runs', async () => {
    const key = `${prefix}refresh`;
    let loads = 0;
    const loader = async () => {
      tracing.provider.getTracer('app').startSpan(`db query ${++loads}`).end();
      return `v${loads}`;
    };
    tracing.subscribe();
    const { caller } = await tracing.inCallerSpan(async () => {
      await cache().get(key, 400, loader);
      // Past half the ttl, a hit schedules a refresh, from inside this caller's span.
      await new Promise((resolve) => setTimeout(resolve, 250));
      return cache().get(key, 400, loader);
    });
    await eventually('a refresh span', () =>
      tracing.spans().some((span) => span.name === 'redcache refresh'),
    );
    const refresh = tracing.span('redcache refresh');
    expect(parentOf(refresh)).toBeUndefined();
    expect(refresh.spanContext().traceId).not.toBe(caller.spanContext().traceId);
    expect(refresh.attributes).toMatchObject({
      [SPAN_ATTRIBUTES.operation]: 'get',
      [SPAN_ATTRIBUTES.view]: 'products',
      [SPAN_ATTRIBUTES.refreshOutcome]: 'refreshed',
    });
    expect(parentOf(tracing.span('db query 2'))).toBe(idOf(refresh));
  });
});
