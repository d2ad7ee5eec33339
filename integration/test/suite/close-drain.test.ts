import { type ExecFileException, execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ClosedError } from '@redcache/core';
import { afterEach, describe, expect, inject, it } from 'vitest';
import {
  CLOSED_LOCK_TTL_MS,
  closeWithLoadsInFlight,
  leftInRedis,
  testNames,
} from '../../src/closed-with-loads.js';
import { IN_FLIGHT_TTL_MS, type InFlightKeys, inFlightKeys, priorValues } from '../../src/loads-in-flight.js';
import { keyPrefix, plainClient, sleep } from '../../src/open-conn.js';
import { scanKeys } from '../../src/scan-keys.js';

// Issue 10, acceptance 3: after close() resolves, no command is sent, no timer or socket keeps
// the process alive, no lock or refresh lock of the Conn is left in Redis, and every view
// method rejects with ClosedError — a get whose value was being read during close included.
// The work in flight at close: defects 7 (set/setMulti and close), 11 (a read in flight),
// 12 (a read that lands during close), 13 (renewal after close), 14 (setMulti and refresh).

const target = inject('redisTarget');
const prefix = keyPrefix('close-drain');
const TTL = IN_FLIGHT_TTL_MS;
const cleanups: Array<() => Promise<unknown>> = [];
const names = (test: string) => testNames(prefix, test);

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const refreshLockKey = (refreshLockPrefix: string, key: string) => `${refreshLockPrefix}{${key}}`;
const sorted = (keys: readonly string[]) => [...keys].sort();
/** Every lock the loads of `keys` hold while in flight. */
const lockedKeys = (keys: InFlightKeys) => sorted([keys.load, ...keys.multi, keys.set, keys.setMultiFirst]);

/** How `call` has settled within `ms` (close() has resolved: it should have already): an error's name, or what it did. */
async function outcomeWithin(call: Promise<unknown>, ms = 2_000): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const pending = new Promise<string>((resolve) => (timer = setTimeout(() => resolve('pending'), ms)));
  const settled = call.then(
    () => 'fulfilled',
    (error: unknown) => (error instanceof ClosedError ? 'ClosedError' : `rejected: ${String(error)}`),
  );
  try {
    return await Promise.race([settled, pending]);
  } finally {
    clearTimeout(timer);
  }
}

describe('close() with loads in flight (issue 10, acceptance 3)', () => {
  it('leaves no lock or refresh lock of the Conn in Redis and restores the prior values (defects 7, 12, 14)', async () => {
    const c = await closeWithLoadsInFlight(target, names('left'), cleanups);
    const { keys, names: n } = c;
    // Before close, each load held what it should: the scan sees this Conn's locks.
    expect(sorted(c.before.locks)).toEqual(lockedKeys(keys));
    expect(c.before.refreshLocks).toEqual([refreshLockKey(n.refreshLockPrefix, keys.refresh)]);
    const client = await plainClient(target);
    cleanups.push(() => client.close());
    const priors = priorValues(keys);
    const expectRedisAsBeforeTheLoads = async () => {
      expect.soft(await leftInRedis(target, n, c.tokenPrefix)).toEqual({ locks: [], refreshLocks: [] });
      for (const key of [keys.set, keys.setMultiFirst, keys.refresh]) {
        expect.soft(await client.get(key), key).toBe(priors.get(key)!.text);
        expect.soft(await client.pTTL(key), key).toBeGreaterThan(0);
      }
      for (const key of [keys.load, ...keys.multi, c.missRead.key]) {
        expect.soft(await client.exists(key), key).toBe(0);
      }
    };
    await expectRedisAsBeforeTheLoads();
    // The abandoned loaders return late: nothing of theirs reaches Redis.
    c.loads.settle();
    await sleep(3 * CLOSED_LOCK_TTL_MS);
    await expectRedisAsBeforeTheLoads();
    expect(c.missRead.loads()).toBe(0);
  });

  it('sends no command and logs nothing after it resolves, while the abandoned loaders settle later (defects 12, 13)', async () => {
    const c = await closeWithLoadsInFlight(target, names('sent'), cleanups);
    expect(c.missLandedDuringClose).toBe(true);
    c.loads.settle();
    // A renewal would tick every lockTTL / 3; a late result would be written at once.
    await sleep(3 * CLOSED_LOCK_TTL_MS);
    const sent = c.driver.sent.slice(c.atClose.sent).map((command) => command.args.slice(0, 2).map(String));
    expect.soft(sent).toEqual([]);
    expect.soft(c.logged.slice(c.atClose.logged)).toEqual([]);
    expect.soft(c.missRead.loads()).toBe(0);
    expect(c.loads.signals.every((signal) => signal.aborted)).toBe(true);
  });

  it('rejects the pending calls, every view method and a get whose read was in flight with ClosedError (defects 7, 11)', async () => {
    const c = await closeWithLoadsInFlight(target, names('rejects'), cleanups);
    const { cache, keys } = c;
    const pending = { ...c.loads.calls, valueRead: c.valueRead.call, missRead: c.missRead.call };
    const outcomes = Object.fromEntries(
      await Promise.all(
        Object.entries(pending).map(async ([name, call]) => [name, await outcomeWithin(call)]),
      ),
    );
    expect
      .soft(outcomes)
      .toEqual(Object.fromEntries(Object.keys(pending).map((name) => [name, 'ClosedError'])));
    // A later get of the key whose value was read during close: not that value from memory.
    const key = c.valueRead.key;
    const loader = async () => 'v';
    const multiLoader = async (ks: string[]) => new Map(ks.map((k) => [k, 'v']));
    const calls: Record<string, () => Promise<unknown>> = {
      get: () => cache.get(key, TTL, loader),
      getMulti: () => cache.getMulti([key, keys.refresh], TTL, multiLoader),
      peek: () => cache.peek(key, TTL),
      set: () => cache.set(key, TTL, loader),
      setMulti: () => cache.setMulti([key], TTL, multiLoader),
      forceSet: () => cache.forceSet(key, TTL, 'v'),
      forceSetMulti: () => cache.forceSetMulti(new Map([[key, 'v']]), TTL),
      del: () => cache.del(key),
      delMulti: () => cache.delMulti([key]),
      touch: () => cache.touch(key, TTL),
      touchMulti: () => cache.touchMulti([key], TTL),
      // Read before close too (the refresh hit): not served from memory either.
      'get of a key read before close': () => cache.get(keys.refresh, TTL, loader),
    };
    const later = Object.fromEntries(
      await Promise.all(
        Object.entries(calls).map(async ([name, call]) => [name, await outcomeWithin(call())]),
      ),
    );
    expect(later).toEqual(Object.fromEntries(Object.keys(calls).map((name) => [name, 'ClosedError'])));
    expect(c.valueRead.loads()).toBe(0);
    expect(c.driver.sent.length).toBe(c.atClose.sent);
  });

  it('no timer or socket keeps the process alive: a child with loads in flight exits by itself after close()', async () => {
    const n = names('exit');
    const child = fileURLToPath(new URL('../../src/close-drain-child.ts', import.meta.url));
    // A handle left open would keep the child alive until the timeout kills it (and this fails).
    const run = await new Promise<{ error: ExecFileException | null; stdout: string; stderr: string }>(
      (resolve) =>
        execFile(
          process.execPath,
          ['--import', 'tsx', child, target, n.keyPrefix, n.lockPrefix, n.refreshLockPrefix],
          { timeout: 20_000 },
          (error, stdout, stderr) => resolve({ error, stdout, stderr }),
        ),
    );
    expect({
      killedAtTheTimeout: run.error?.killed ?? false,
      exitCode: run.error?.code ?? 0,
      stderr: run.error === null ? '' : run.stderr.slice(-2_000),
    }).toEqual({ killedAtTheTimeout: false, exitCode: 0, stderr: '' });
    const { stdout } = run;
    const exitedAt = Date.now();
    const report = JSON.parse(stdout.trim()) as { outcomes: string[]; closedAt: number };
    expect(report.outcomes).toEqual(['ClosedError', 'ClosedError', 'ClosedError', 'ClosedError']);
    console.log(`close-drain child: exited ${exitedAt - report.closedAt} ms after close() resolved`);
    // Redis as the child found it: the lock in keys.foreign is not the child's (it stays).
    const keys = inFlightKeys(n.keyPrefix);
    const locks = [...(await scanKeys(target, `${n.keyPrefix}*`))].filter(([, value]) =>
      value.startsWith(n.lockPrefix),
    );
    expect(locks).toEqual([[keys.foreign, `${n.lockPrefix}elsewhere:1`]]);
    expect([...(await scanKeys(target, `${n.refreshLockPrefix}*`)).keys()]).toEqual([]);
    const client = await plainClient(target);
    cleanups.push(() => client.close());
    for (const [key, { text }] of priorValues(keys)) expect(await client.get(key), key).toBe(text);
    await client.del(keys.foreign);
  });
});
