import { execFileSync } from 'node:child_process';
import { describe, expect, inject, it } from 'vitest';
import { keyPrefix, sleep } from '../../src/open-conn.js';
import { cliArgs } from '../../src/redis-target.js';
import { useWorkers } from '../../src/use-workers.js';

const target = inject('redisTarget');
const prefix = keyPrefix('cross-process');
const { spawn, get, loads } = useWorkers(target);

describe('across processes', () => {
  it('4 processes x 100 concurrent gets of one cold key: one loader call; followers woken by the push', async () => {
    const key = `${prefix}stampede`;
    const pool = await spawn(4);
    const results = await Promise.all(pool.map((w) => get(w, key, { concurrency: 100, loaderMs: 200 })));
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
    const [slow, other] = await spawn(2, { lockTTLMs: 300 });
    const loading = slow!.loading(key);
    const first = get(slow!, key, { loaderMs: 1200, value: 'slow-value' });
    await loading;
    await sleep(400);
    const second = await get(other!, key, { value: 'must-not-load' });
    expect((await first).values[0]).toMatch(/^slow-value@/);
    expect(second.values[0]).toBe((await first).values[0]);
    expect(await loads(key)).toBe(1);
  });

  it('the lock holder is SIGKILLed mid-load: one waiter takes over after lockTTL, none hangs', async () => {
    const key = `${prefix}killed`;
    const [holder, a, b] = await spawn(3, { lockTTLMs: 1000 });
    const loading = holder!.loading(key);
    void get(holder!, key, { loaderMs: 60_000 }).catch(() => {});
    await loading;
    const waits = [
      get(a!, key, { concurrency: 10, loaderMs: 50 }),
      get(b!, key, { concurrency: 10, loaderMs: 50 }),
    ];
    await sleep(100);
    holder!.kill();
    const started = performance.now();
    const results = await Promise.all(waits);
    expect(performance.now() - started).toBeLessThan(5000);
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
    cli('SET', key, '__redcache:v1:0:{"value":"second","pid":0}', 'PX', '60000');
    await sleep(100);
    for (const w of pool) expect((await get(w, key)).values[0]).toBe('second@0');
    cli('DEL', key);
    await sleep(100);
    const after = await Promise.all(pool.map((w) => get(w, key, { value: 'third', loaderMs: 100 })));
    expect(new Set(after.map((r) => r.values[0])).size).toBe(1);
    expect(after[0]!.values[0]).toMatch(/^third@/);
    expect(await loads(key)).toBe(2);
  });
});
