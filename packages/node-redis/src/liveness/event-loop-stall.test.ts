import { NoopMetrics, newStringCache, StringCodec } from '@redcache/core';
import { type RedisServer, startRedisServer } from '@redcache/redis-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../connect.js';
import { testPrefix } from '../test-support/redis.js';

// A process whose event loop is blocked (a big JSON.parse, a sync loop, a GC pause) reads
// nothing from its sockets meanwhile. When the block ends, Node runs expired timers before it
// reads the replies that arrived during the block: a deadline timer that decides at once sees
// a reply it has not read yet as missing, and blames Redis for the process's own stall.

const prefix = testPrefix('event-loop-stall');
const BOUND_MS = 50;
/** Longer than every bound: each block outlasts the command bound and the liveness timeout. */
const BLOCK_MS = 4 * BOUND_MS;

class Downs extends NoopMetrics {
  readonly reasons: string[] = [];
  readonly timeouts: string[] = [];
  override redisDown(reason: string): void {
    this.reasons.push(reason);
  }
  override commandTimeout(op: string): void {
    this.timeouts.push(op);
  }
}

/** Keeps the event loop busy for `ms`, as synchronous work does. */
function block(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy
  }
}

describe('an event loop blocked longer than the bounds (own server)', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('is not a Redis timeout: replies that arrived during the block are read before any deadline is judged (was: CommandTimeoutError, a failed liveness check and an open breaker)', async () => {
    const metrics = new Downs();
    const conn = await connect(
      { url: server.url },
      { commandTimeoutMs: BOUND_MS, metrics },
      { livenessCheck: { intervalMs: 10, timeoutMs: BOUND_MS } },
    );
    try {
      const cache = newStringCache(conn, StringCodec);
      const outcomes: string[] = [];
      for (let i = 0; i < 10; i++) {
        // A round trip in flight (and, every 10 ms, the liveness PING), then a block.
        const peek = cache.peek(`${prefix}${i}`, 60_000).then(
          (result) => (result.found ? 'found' : 'missing'),
          (error: unknown) => `${(error as Error).name}`,
        );
        block(BLOCK_MS);
        outcomes.push(await peek);
        // Let a liveness check go out before the next block.
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
      expect({ outcomes, timeouts: metrics.timeouts, downs: metrics.reasons }).toEqual({
        outcomes: Array(10).fill('missing'),
        timeouts: [],
        downs: [],
      });
    } finally {
      await conn.close();
    }
  });

  it('is not a failed liveness check when the loop blocks after a PING is queued but before it is written (was: the block counted against Redis, breaker opened)', async () => {
    const metrics = new Downs();
    const conn = await connect(
      { url: server.url },
      { metrics },
      { livenessCheck: { intervalMs: 10, timeoutMs: BOUND_MS } },
    );
    try {
      // node-redis writes what is queued in a tick in setImmediate: a block in the same tick
      // (here, synchronous work right after the liveness timer queued its PING) delays the write.
      const client = conn.client as { sendCommand: (...args: unknown[]) => Promise<unknown> };
      const send = client.sendCommand.bind(client);
      let blocked = 0;
      client.sendCommand = (...args: unknown[]) => {
        const sent = send(...args);
        if ((args[0] as unknown[])[0] === 'PING' && blocked < 5) {
          blocked++;
          queueMicrotask(() => block(BLOCK_MS));
        }
        return sent;
      };
      const cache = newStringCache(conn, StringCodec);
      while (blocked < 5) await new Promise((resolve) => setTimeout(resolve, 5));
      // The fifth PING's verdict: a check after it has been answered or judged.
      await new Promise((resolve) => setTimeout(resolve, 2 * BOUND_MS));
      const read = await cache.peek(`${prefix}after`, 60_000).then(
        (result) => (result.found ? 'found' : 'missing'),
        (error: unknown) => `${(error as Error).name}`,
      );
      expect({ blocked, read, downs: metrics.reasons }).toEqual({ blocked: 5, read: 'missing', downs: [] });
    } finally {
      await conn.close();
    }
  });
});
