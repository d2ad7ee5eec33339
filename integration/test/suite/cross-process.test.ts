import { execFileSync } from 'node:child_process';
import { describe, expect, inject, it } from 'vitest';
import { keyPrefix, sleep } from '../../src/open-conn.js';
import { pollUntil } from '../../src/poll-until.js';
import { cliArgs } from '../../src/redis-target.js';
import { settleWithin } from '../../src/settle-within.js';
import { useWorkers } from '../../src/use-workers.js';

const target = inject('redisTarget');
const prefix = keyPrefix('cross-process');
const workers = useWorkers(target);
const { spawn, get, loads } = workers;

describe('across processes', () => {
  it('4 processes x 100 concurrent gets of one cold key: one loader call; followers woken by the push', async () => {
    const key = `${prefix}stampede`;
    const pool = await spawn(4);
    // The one load is held until the three other processes wait on its lock.
    const getting = Promise.all(pool.map((w) => get(w, key, { concurrency: 100, hold: true })));
    await pollUntil('one process loads, three wait', async () => {
      const stats = await workers.stats(pool);
      return (
        stats.filter((s) => (s.metrics.lockContended ?? 0) >= 1).length === 3 && (await loads(key)) === 1
      );
    });
    await workers.release(pool, key);
    const results = await getting;
    expect(await loads(key)).toBe(1);
    const values = results.flatMap((r) => r.values);
    expect(values).toHaveLength(400);
    expect(new Set(values).size).toBe(1);
    const leaders = results.filter((r) => r.loaderCalls === 1);
    expect(leaders).toHaveLength(1);
    for (const follower of results.filter((r) => r.loaderCalls === 0)) {
      expect(follower.wakes.invalidation ?? 0).toBeGreaterThanOrEqual(1);
      expect(follower.wakes.poll ?? 0).toBe(0);
      expect(follower.wakes.timeout ?? 0).toBe(0);
    }
  });

  it('a loader slower than lockTTL keeps its lock: no second loader runs anywhere', async () => {
    const key = `${prefix}slow`;
    const LOCK_TTL_MS = 300;
    const [slow, other] = await spawn(2, { lockTTLMs: LOCK_TTL_MS });
    const loading = slow!.loading(key);
    const first = get(slow!, key, { hold: true, value: 'slow-value' });
    await loading;
    // What is under test: the load has run for longer than lockTTL (it is held, so it still
    // runs). A sleep: time passing is the property.
    await sleep(LOCK_TTL_MS + 100);
    const getting = get(other!, key, { value: 'must-not-load' });
    await workers.untilWaiting([other!]);
    await workers.release([slow!], key);
    const second = await getting;
    expect((await first).values[0]).toMatch(/^slow-value@/);
    expect(second.values[0]).toBe((await first).values[0]);
    expect(await loads(key)).toBe(1);
  });

  it('the lock holder is SIGKILLed mid-load: one waiter takes over after lockTTL, none hangs', async () => {
    const key = `${prefix}killed`;
    const LOCK_TTL_MS = 1000;
    const [holder, a, b] = await spawn(3, { lockTTLMs: LOCK_TTL_MS });
    const loading = holder!.loading(key);
    void get(holder!, key, { hold: true }).catch(() => {});
    await loading;
    const waits = [
      get(a!, key, { concurrency: 10, loaderMs: 50 }),
      get(b!, key, { concurrency: 10, loaderMs: 50 }),
    ];
    await workers.untilWaiting([a!, b!]);
    holder!.kill();
    // The dead holder's lock expires within lockTTL; a waiter takes over then. None hangs: all
    // settle well before the 60 s ttl, with room for a slow machine (lockTTL is 1 s).
    const results = await settleWithin('the waiters', 10 * LOCK_TTL_MS, Promise.all(waits));
    const values = results.flatMap((r) => r.values);
    expect(values.every((v) => !v.startsWith('error:'))).toBe(true);
    expect(new Set(values).size).toBe(1);
    expect(await loads(key)).toBe(2);
    expect(results.reduce((n, r) => n + r.loaderCalls, 0)).toBe(1);
  });

  it('another client changes a cached key: the next get in every process returns the new state', async () => {
    const key = `${prefix}external`;
    const pool = await spawn(3);
    for (const w of pool) expect((await get(w, key, { value: 'first' })).values[0]).toMatch(/^first@/);
    expect(await loads(key)).toBe(1);
    const cli = (...args: string[]) =>
      execFileSync('redis-cli', [...cliArgs(target), ...args], { encoding: 'utf8' });
    let before = await workers.stats(pool);
    cli('SET', key, '__redcache:v1:0:{"value":"second","pid":0}', 'PX', '60000');
    await workers.untilHeard(pool, key, before);
    for (const w of pool) expect((await get(w, key)).values[0]).toBe('second@0');
    before = await workers.stats(pool);
    cli('DEL', key);
    await workers.untilHeard(pool, key, before);
    const after = await Promise.all(pool.map((w) => get(w, key, { value: 'third', loaderMs: 100 })));
    expect(new Set(after.map((r) => r.values[0])).size).toBe(1);
    expect(after[0]!.values[0]).toMatch(/^third@/);
    expect(await loads(key)).toBe(2);
  });
});
