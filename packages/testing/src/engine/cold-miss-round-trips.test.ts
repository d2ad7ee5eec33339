import { Conn, type Driver, type Metrics, NoopMetrics, newStringCache, StringCodec } from '@redcache/core';
import { readOrLockScript } from '@redcache/core/wire';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryRedis, type MemoryRedis } from '../memory/memory-redis.js';
import { withSend } from '../test-support/with-send.js';

// A cold miss is read-and-lock, load, CAS: two round trips (issue 12). Counted as pipelines sent.

let server: MemoryRedis;
let conns: Conn[];

beforeEach(() => {
  server = createMemoryRedis();
  conns = [];
});
afterEach(async () => {
  await Promise.all(conns.map((conn) => conn.close()));
});

/** A cache whose driver records every pipeline it sends, as the first argument of each command. */
function counted(metrics: Metrics = new NoopMetrics()) {
  const inner = server.connect();
  const pipelines: string[][] = [];
  const driver: Driver = withSend(inner, (commands) => {
    pipelines.push(commands.map((command) => verbOf(command.args)));
    return inner.send(commands);
  });
  const conn = Conn.open(driver, { lockTTLMs: 5_000, metrics });
  conns.push(conn);
  return { cache: newStringCache(conn, StringCodec), pipelines, raw: inner };
}

/** The command's verb, or for a script the script's name (read-or-lock, or 'script'). */
function verbOf(args: readonly unknown[]): string {
  const [verb, body] = args;
  if (verb !== 'EVAL' && verb !== 'EVALSHA') return String(verb);
  return body === readOrLockScript.source || body === readOrLockScript.sha1 ? 'read-or-lock' : 'script';
}

describe('a cold miss in two round trips', () => {
  it('a cold get: read-or-lock, then the CAS; the value is stored and no lock is left', async () => {
    const { cache, pipelines, raw } = counted();
    expect(await cache.get('cold', 60_000, async () => 'loaded')).toBe('loaded');
    expect(pipelines).toEqual([['read-or-lock'], ['script']]);
    const [stored] = await raw.send([{ key: 'cold', args: ['GET', 'cold'] }]);
    expect(new TextDecoder().decode(stored as Uint8Array)).toMatch(/^__redcache:v1:\d+:loaded$/);
  });

  it('a cold getMulti over one slot group: one read-or-lock pipeline, one CAS pipeline', async () => {
    const { cache, pipelines } = counted();
    const keys = ['a', 'b', 'c'];
    const values = await cache.getMulti(
      keys,
      60_000,
      async (ks) => new Map(ks.map((k) => [k, k.toUpperCase()])),
    );
    expect([...values.values()]).toEqual(['A', 'B', 'C']);
    expect(pipelines).toHaveLength(2);
    expect(pipelines[0]).toEqual(['read-or-lock']);
    expect(pipelines[1]!.every((verb) => verb === 'script')).toBe(true);
  });

  it('a follower in another process reads once before it waits, and once when woken', async () => {
    const leader = counted();
    let waiting!: (pipelinesSoFar: number) => void;
    const followerWaits = new Promise<number>((resolve) => {
      waiting = resolve;
    });
    // lockContended is counted just before the wait begins: what was sent by then is all it read.
    const follower = counted(
      Object.assign(new NoopMetrics(), { lockContended: () => waiting(follower.pipelines.length) }),
    );
    let release!: () => void;
    const loading = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started!: () => void;
    const leaderStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    const leading = leader.cache.get('contended', 60_000, async () => {
      started();
      await loading;
      return 'from leader';
    });
    await leaderStarted;
    let followerLoads = 0;
    const following = follower.cache.get('contended', 60_000, async () => {
      followerLoads++;
      return 'from follower';
    });
    expect(await followerWaits).toBe(1);
    expect(follower.pipelines).toEqual([['read-or-lock']]);
    release();
    expect(await leading).toBe('from leader');
    expect(await following).toBe('from leader');
    expect(followerLoads).toBe(0);
    expect(follower.pipelines).toEqual([['read-or-lock'], ['read-or-lock']]);
  });
});
