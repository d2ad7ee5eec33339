import { newStringCache, StringCodec } from '@redcache/core';
import type { RedisClientType } from '@redis/client';
import { describe, expect, it } from 'vitest';
import { useOwnServer } from '../test-support/own-server.js';
import { info } from '../test-support/redis.js';

// How the engine's scripts reach a server: by source once per server, by SHA after that. A
// throw-away server of its own, so its commandstats count this file's commands alone (and
// SCRIPT FLUSH disturbs no one).

const KEYS = Array.from({ length: 200 }, (_, index) => `script-loading:${index}`);

/** `calls` of `cmdstat_<command>` in INFO commandstats (0 when the server saw none). */
async function calls(admin: RedisClientType, command: string): Promise<number> {
  const field = (await info(admin, 'commandstats')).get(`cmdstat_${command}`);
  return Number(/calls=(\d+)/.exec(field ?? '')?.[1] ?? 0);
}

describe('scripts on a real server', () => {
  const own = useOwnServer();

  /** A burst of cold gets, all at once, on a fresh connection; every caller gets its loader's value. */
  async function burst(prefix: string): Promise<void> {
    const conn = await own.connect();
    const cache = newStringCache(conn, StringCodec);
    const keys = KEYS.map((key) => `${prefix}${key}`);
    const values = await Promise.all(keys.map((key) => cache.get(key, 60_000, async () => `v:${key}`)));
    expect(values).toEqual(keys.map((key) => `v:${key}`));
  }

  it('a burst of cold gets right after connect sends each script by source once, the rest by SHA (was: every call sent before the first reply by source)', async () => {
    await own.admin.sendCommand(['CONFIG', 'RESETSTAT']);
    await burst('first:');
    // Two scripts per cold miss (read-or-lock, set-if-locked): each went by source once.
    expect(await calls(own.admin, 'eval')).toBe(2);
    expect(await calls(own.admin, 'evalsha')).toBeGreaterThan(0);
  });

  it('after SCRIPT FLUSH, a connection that sent the scripts before still answers every call (NOSCRIPT is re-sent by source)', async () => {
    const conn = await own.connect();
    const cache = newStringCache(conn, StringCodec);
    await expect(cache.get('flushed:warm', 60_000, async () => 'warm')).resolves.toBe('warm');
    await own.admin.sendCommand(['SCRIPT', 'FLUSH']);
    await own.admin.sendCommand(['CONFIG', 'RESETSTAT']);
    const keys = KEYS.map((key) => `flushed:${key}`);
    const values = await Promise.all(keys.map((key) => cache.get(key, 60_000, async () => `v:${key}`)));
    expect(values).toEqual(keys.map((key) => `v:${key}`));
    // The calls by SHA met NOSCRIPT and went again by source.
    expect(await calls(own.admin, 'eval')).toBeGreaterThan(0);
  });
});
