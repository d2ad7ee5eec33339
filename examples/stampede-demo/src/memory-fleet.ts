/**
 * The demo's run when there is no Redis to use: one memory Redis from @redcache/testing and
 * several Conns on it, all in this process. Each Conn is its own connection (its own near
 * cache, single flight and client tracking), as each worker process would be; the memory
 * Redis runs redcache's Lua scripts and sends the invalidation pushes, so the engine's path
 * (one lock winner, the others woken by push) is the same one it takes on a real Redis.
 */
import { Conn } from '@redcache/core';
import { createMemoryRedis } from '@redcache/testing';
import type { DemoFleet } from './demo-fleet.js';
import { stampeder } from './stampede.js';
import { WaitLog } from './wait-log.js';

/** `conns` Conns on one new memory Redis, each with its own `WaitLog`. */
export function openMemoryFleet(conns: number): DemoFleet {
  const redis = createMemoryRedis();
  /** The loader's calls per key, across every Conn: the memory Redis' stand-in for INCR. */
  const calls = new Map<string, number>();
  const participants = Array.from({ length: conns }, (_, i) => {
    const log = new WaitLog();
    const conn = Conn.open(redis.connect(), { logger: log });
    const stampede = stampeder({
      conn,
      log,
      label: `Conn ${i + 1}`,
      countLoaderCall: async (key) => calls.set(key, (calls.get(key) ?? 0) + 1),
    });
    return { conn, stampede };
  });
  return {
    where: 'the in-memory Redis of @redcache/testing, in this process',
    members: `Conns 1-${conns} in pid ${process.pid}`,
    stampede: (request) => Promise.all(participants.map((p) => p.stampede(request))),
    loaderCalls: async (keys) => keys.map((key) => calls.get(key) ?? 0),
    close: async () => {
      await Promise.allSettled(participants.map((p) => p.conn.close()));
    },
    kill: () => {},
  };
}
