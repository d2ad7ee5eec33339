import { setTimeout as sleep } from 'node:timers/promises';
import { newStringCache } from '@redcache/core';
import { connect } from '@redcache/node-redis';
import { type RedisServer, redisCommand } from '@redcache/redis-harness';
import { keyOf, productCodec, type Service } from './service.js';

/** How long Redis is frozen (`CLIENT PAUSE`): longer than three command timeouts in a row. */
const PAUSE_MS = 2_000;
/** A liveness bound on every wait below; the waits themselves end on what they wait for. */
const WAIT_BOUND_MS = 15_000;

export interface Workload {
  /** The scrape taken while the breaker was open. */
  readonly duringOutage: string;
  /** The scrape taken at the end. */
  readonly final: string;
}

/**
 * Drives the service through every path its dashboard shows, on a Redis of its own: hits and
 * misses per view, a loader error, a hard loader timeout, a lock wait for another connection's
 * load, a lock lost, near-cache evictions and an expiration, a refresh-ahead that fails and a fail-safe
 * fallback after it, then Redis frozen (`CLIENT PAUSE`): command timeouts, the breaker
 * opening, loads without Redis, a fallback for a warm key, and the breaker closing again.
 */
export async function driveTraffic(service: Service, redis: RedisServer, prefix: string): Promise<Workload> {
  const get = async (path: string) => (await fetch(service.url + path)).status;
  const command = (...args: string[]) => redisCommand('127.0.0.1', redis.port, args);
  const scrape = async () => (await fetch(`${service.url}/metrics`)).text();

  // Hits and misses for both views, a loader that fails, a loader past the hard timeout.
  for (const path of ['/products/1', '/products/1', '/users/1', '/users/1', '/users/broken-1'])
    await get(path);
  await get('/products/slow-1');

  // A lock wait: another connection holds the lock of products/hot while the service asks.
  const other = await connect({ url: redis.url });
  try {
    let asked: Promise<number> | undefined;
    await newStringCache(other, productCodec).get(keyOf(prefix, 'products', 'hot'), '1m', async (id) => {
      asked = get('/products/hot');
      await sleep(200);
      return { id, name: 'Hot product' };
    });
    await asked;
  } finally {
    await other.close();
  }

  // A lock lost: while products/held-1 loads, its key (the lock the load holds) is deleted;
  // the load's write finds its lock gone, and the read starts again.
  const held = keyOf(prefix, 'products', 'held-1');
  const loading = get('/products/held-1');
  await until(async () => (await command('EXISTS', held)) === 1);
  await command('DEL', held);
  await loading;

  // Evictions: more products than the near cache holds (see check-scrape's nearCacheMaxEntries).
  for (let i = 0; i < 25; i++) await get(`/products/many-${i}`);

  // An expiration: a 100 ms ttl, read again once Redis has let the key go.
  await get('/users/short?ttl=100ms');
  await until(async () => (await command('EXISTS', keyOf(prefix, 'users', 'short'))) === 0);
  await get('/users/short?ttl=100ms');

  // Refresh-ahead (after 80 % of the ttl): two hits on a due flaky key queue one refresh and
  // skip the other; its loader fails (a refresh error). Once it expires, its loader fails
  // again and the fail-safe fallback is served (cause loader).
  const flaky = keyOf(prefix, 'products', 'flaky-1');
  await get('/products/flaky-1?ttl=2s');
  await until(async () => Number(await command('PTTL', flaky)) < 300);
  await Promise.all([get('/products/flaky-1?ttl=2s'), get('/products/flaky-1?ttl=2s')]);
  await until(async () => (await command('EXISTS', flaky)) === 0);
  await get('/products/flaky-1?ttl=2s');

  // Redis frozen: three reads time out (each then loads here), the breaker opens; a warm key
  // gets its fallback at once (cause redis); then the probe is answered and it closes.
  await command('CLIENT', 'PAUSE', String(PAUSE_MS), 'ALL');
  for (const id of ['cold-1', 'cold-2', 'cold-3']) await get(`/users/${id}`);
  const duringOutage = await scrape();
  await get('/products/1');
  await until(async () => /redcache_breaker_state\{state="closed",[^}]*\} 1\n/.test(await scrape()));
  return { duringOutage, final: await scrape() };
}

/** Polls `done` every 20 ms until it is true; throws past `WAIT_BOUND_MS` (a liveness bound). */
async function until(done: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + WAIT_BOUND_MS;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('the workload waited too long for a step');
    await sleep(20);
  }
}
