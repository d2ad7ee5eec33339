import { randomUUID } from 'node:crypto';
import diagnostics from 'node:diagnostics_channel';
import { SpanStatusCode } from '@opentelemetry/api';
import type { Conn } from '@redcache/core';
import { LOAD_CHANNEL, LOCK_WAIT_CHANNEL, newStringCache, StringCodec } from '@redcache/core';
import { connect } from '@redcache/node-redis';
import { getRedis, type RedisHandle } from '@redcache/redis-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPAN_ATTRIBUTES } from './span-attributes.js';
import { activeSpanId, idOf, parentOf, useInMemoryTracing } from './test-support/in-memory-tracing.js';
import { type LockHolder, spawnLockHolder } from './test-support/spawn-lock-holder.js';

const tracing = useInMemoryTracing();

/** Resolves when this process next starts waiting for a lock (on redcache:lockWait). */
const nextLockWait = () => nextStart(LOCK_WAIT_CHANNEL);

/** Resolves when this process next starts a loader run (on redcache:load). */
const nextLoad = () => nextStart(LOAD_CHANNEL);

/** Resolves when the TracingChannel `name` next publishes `start`. */
function nextStart(name: string): Promise<void> {
  const channel = diagnostics.channel(`tracing:${name}:start`);
  return new Promise((resolve) => {
    const started = () => {
      channel.unsubscribe(started);
      resolve();
    };
    channel.subscribe(started);
  });
}
const prefix = `redcache-test:otel:tracing:${randomUUID()}:`;

describe('createOtelTracing on a real Conn', () => {
  let redis: RedisHandle;
  let conn: Conn<unknown>;
  const holders: LockHolder[] = [];

  beforeAll(async () => {
    redis = await getRedis();
    conn = await connect({ url: redis.url });
  });
  afterAll(async () => {
    for (const holder of holders) holder.kill();
    await conn?.close();
    await redis?.stop();
  });

  const cache = () => newStringCache(conn, StringCodec, { name: 'users' });

  it('a get that loads makes the call span under the caller’s span, and a load child under which the loader’s spans nest', async () => {
    tracing.subscribe();
    const key = `${prefix}loads`;
    let activeInLoader: string | undefined;
    const { result, caller } = await tracing.inCallerSpan(() =>
      cache().get(key, 60_000, async () => {
        activeInLoader = activeSpanId();
        tracing.provider.getTracer('app').startSpan('db query').end();
        return 'loaded';
      }),
    );
    expect(result).toBe('loaded');
    const call = tracing.span('redcache get');
    const load = tracing.span('redcache load');
    expect(parentOf(call)).toBe(idOf(caller));
    expect(parentOf(load)).toBe(idOf(call));
    expect(activeInLoader).toBe(idOf(load));
    expect(parentOf(tracing.span('db query'))).toBe(idOf(load));
    expect(call.attributes).toEqual({
      [SPAN_ATTRIBUTES.operation]: 'get',
      [SPAN_ATTRIBUTES.view]: 'users',
      [SPAN_ATTRIBUTES.keyCount]: 1,
      [SPAN_ATTRIBUTES.outcome]: 'loaded',
    });
    expect(load.attributes).toMatchObject({ [SPAN_ATTRIBUTES.loadOutcome]: 'loaded' });
  });

  it('a get that waits for a lock another process holds makes the call span with a lockWait child', async () => {
    tracing.subscribe();
    const key = `${prefix}held-elsewhere`;
    const holder = spawnLockHolder(redis.url, key, 'from-the-other-process');
    holders.push(holder);
    await holder.loading;
    const waiting = nextLockWait();
    const { result, caller } = await tracing.inCallerSpan(async () => {
      const read = cache().get(key, 60_000, async () => 'loaded-here');
      // Once the read waits on the other process's lock, let that process's loader return.
      await waiting;
      holder.release();
      return read;
    });
    expect(result).toBe('from-the-other-process');
    expect(await holder.done).toBe('from-the-other-process');
    const call = tracing.span('redcache get');
    const wait = tracing.span('redcache lockWait');
    expect(parentOf(call)).toBe(idOf(caller));
    expect(parentOf(wait)).toBe(idOf(call));
    expect(call.attributes[SPAN_ATTRIBUTES.outcome]).toBe('waited');
    expect(wait.attributes[SPAN_ATTRIBUTES.lockWaitEnd]).toBeDefined();
    expect(tracing.spans().filter((span) => span.name === 'redcache load')).toEqual([]);
  }, 30_000);

  it('a caller that gives up waiting for another process’s lock: ERROR on its lockWait and call spans', async () => {
    tracing.subscribe();
    const key = `${prefix}abandoned`;
    const holder = spawnLockHolder(redis.url, key, 'late');
    holders.push(holder);
    await holder.loading;
    const waiting = nextLockWait();
    const giveUp = new AbortController();
    const reason = new Error('request cancelled');
    const read = cache().get(key, 60_000, async () => 'loaded-here', { signal: giveUp.signal });
    await waiting;
    giveUp.abort(reason);
    await expect(read).rejects.toBe(reason);
    holder.release();
    await holder.done;
    const call = tracing.span('redcache get');
    const wait = tracing.span('redcache lockWait');
    expect(parentOf(wait)).toBe(idOf(call));
    expect(wait.attributes[SPAN_ATTRIBUTES.lockWaitEnd]).toBe('aborted');
    expect(call.status).toEqual({ code: SpanStatusCode.ERROR, message: 'request cancelled' });
    expect(call.attributes[SPAN_ATTRIBUTES.outcome]).toBe('error');
    // The wait is the key's flight's, aborted once no caller is left: core's reason, not the caller's.
    expect(wait.status.code).toBe(SpanStatusCode.ERROR);
    expect(wait.events.map((event) => event.name)).toEqual(['exception']);
  }, 30_000);

  it('two callers of one key in this process: one load span, under the call that started the run', async () => {
    tracing.subscribe();
    const key = `${prefix}joined`;
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const loader = async () => {
      await held;
      return 'once';
    };
    const loading = nextLoad();
    const first = tracing.inCallerSpan(() => cache().get(key, 60_000, loader));
    await loading;
    const second = cache().get(key, 60_000, loader);
    release();
    const { result, caller } = await first;
    expect([result, await second]).toEqual(['once', 'once']);
    const calls = tracing.spans().filter((span) => span.name === 'redcache get');
    const load = tracing.span('redcache load');
    const leader = calls.find((span) => parentOf(span) === idOf(caller));
    const follower = calls.find((span) => parentOf(span) !== idOf(caller));
    expect(parentOf(load)).toBe(idOf(leader!));
    expect(leader!.attributes[SPAN_ATTRIBUTES.outcome]).toBe('loaded');
    expect(follower!.attributes[SPAN_ATTRIBUTES.outcome]).toBe('waited');
  });

  it('a loader that throws sets ERROR status on the load and call spans, with the exception recorded', async () => {
    tracing.subscribe();
    const key = `${prefix}fails`;
    const failure = new Error('database unreachable');
    const { caller } = await tracing.inCallerSpan(() =>
      cache()
        .get(key, 60_000, async () => {
          throw failure;
        })
        .catch((error: unknown) => error),
    );
    const call = tracing.span('redcache get');
    const load = tracing.span('redcache load');
    expect(parentOf(call)).toBe(idOf(caller));
    for (const span of [call, load]) {
      expect(span.status.code).toBe(SpanStatusCode.ERROR);
      expect(span.events.map((event) => event.name)).toEqual(['exception']);
    }
    expect(load.status.message).toBe('database unreachable');
    expect(load.attributes[SPAN_ATTRIBUTES.loadOutcome]).toBe('error');
  });

  it('a near hit makes no span unless nearHits: true', async () => {
    const key = `${prefix}near`;
    const views = cache();
    await views.get(key, 60_000, async () => 'v');
    const quiet = tracing.subscribe();
    expect(await views.get(key, 60_000, async () => 'not-called')).toBe('v');
    expect(tracing.spans()).toEqual([]);
    quiet.close();
    tracing.subscribe({ nearHits: true });
    expect(await views.get(key, 60_000, async () => 'not-called')).toBe('v');
    expect(tracing.span('redcache get').attributes[SPAN_ATTRIBUTES.outcome]).toBe('nearHit');
  });
});
