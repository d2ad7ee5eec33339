import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { deferred } from '../test-support/promise-state.js';
import {
  enterAsLoaderOf,
  loaderSettled,
  loadersRunning,
  ownKeyAmong,
  releaseIdleScope,
  runAsLoaderOf,
} from './loader-scope.js';

describe('loader scope', () => {
  it('inside runAsLoaderOf, ownKeyAmong finds the first of the asked keys that the scope loads', () => {
    const owner = {};
    runAsLoaderOf(owner, ['a', 'b'], () => {
      expect(ownKeyAmong(owner, ['b'])).toBe('b');
      expect(ownKeyAmong(owner, ['x', 'b', 'a'])).toBe('b');
      expect(ownKeyAmong(owner, ['x', 'y'])).toBeUndefined();
    });
  });

  it('returns what the loader returns', async () => {
    const owner = {};
    expect(runAsLoaderOf(owner, ['a'], () => 7)).toBe(7);
    await expect(runAsLoaderOf(owner, ['a'], async () => 'v')).resolves.toBe('v');
  });

  it('sees its keys across awaits and timers', async () => {
    const owner = {};
    const seen = await runAsLoaderOf(owner, ['a'], async () => {
      await Promise.resolve();
      await sleep(1);
      const afterTimer = await new Promise((resolve) =>
        setTimeout(() => resolve(ownKeyAmong(owner, ['a'])), 1),
      );
      return [ownKeyAmong(owner, ['a']), afterTimer];
    });
    expect(seen).toEqual(['a', 'a']);
  });

  it('nested scopes: the inner sees its own and the outer keys; the outer does not see the inner', async () => {
    const owner = {};
    await runAsLoaderOf(owner, ['outer'], async () => {
      await runAsLoaderOf(owner, ['inner'], async () => {
        await sleep(1);
        expect(ownKeyAmong(owner, ['inner'])).toBe('inner');
        expect(ownKeyAmong(owner, ['outer'])).toBe('outer');
      });
      expect(ownKeyAmong(owner, ['inner'])).toBeUndefined();
      expect(ownKeyAmong(owner, ['outer'])).toBe('outer');
    });
  });

  it("does not see another owner's keys, even through a nested scope of that owner", () => {
    const mine = {};
    const theirs = {};
    runAsLoaderOf(theirs, ['a'], () => {
      expect(ownKeyAmong(mine, ['a'])).toBeUndefined();
      runAsLoaderOf(mine, ['b'], () => {
        expect(ownKeyAmong(mine, ['a'])).toBeUndefined();
        expect(ownKeyAmong(mine, ['b'])).toBe('b');
        expect(ownKeyAmong(theirs, ['a'])).toBe('a');
      });
    });
  });

  it('is not seen outside the scope: before, after, or by work running beside it', async () => {
    const owner = {};
    expect(ownKeyAmong(owner, ['a'])).toBeUndefined();
    const gate = deferred<void>();
    const loading = runAsLoaderOf(owner, ['a'], async () => {
      await gate.promise;
      return ownKeyAmong(owner, ['a']);
    });
    // Another caller, started outside the scope, runs while the loader waits.
    const beside = (async () => {
      await sleep(1);
      return ownKeyAmong(owner, ['a']);
    })();
    expect(await beside).toBeUndefined();
    expect(ownKeyAmong(owner, ['a'])).toBeUndefined();
    gate.resolve();
    expect(await loading).toBe('a');
    expect(ownKeyAmong(owner, ['a'])).toBeUndefined();
  });

  it('counts a loader as running until it returns, throws, resolves or rejects', async () => {
    const owner = {};
    runAsLoaderOf(owner, ['a'], () => 1);
    expect(loadersRunning()).toBe(0);
    expect(() =>
      runAsLoaderOf(owner, ['a'], () => {
        throw new Error('sync');
      }),
    ).toThrow('sync');
    expect(loadersRunning()).toBe(0);
    const gate = deferred<void>();
    const resolving = runAsLoaderOf(owner, ['a'], async () => gate.promise);
    const rejecting = runAsLoaderOf(owner, ['b'], async () => {
      await gate.promise;
      throw new Error('async');
    });
    expect(loadersRunning()).toBe(2);
    gate.resolve();
    await resolving;
    await expect(rejecting).rejects.toThrow('async');
    await Promise.resolve();
    expect(loadersRunning()).toBe(0);
  });

  it('enterAsLoaderOf counts a loader as running, with its keys seen across awaits, until loaderSettled (or a synchronous throw)', async () => {
    const owner = {};
    expect(() =>
      enterAsLoaderOf(owner, ['a'], () => {
        throw new Error('sync');
      }),
    ).toThrow('sync');
    expect(loadersRunning()).toBe(0);
    const gate = deferred<void>();
    const loading = enterAsLoaderOf(owner, ['a'], async () => {
      await gate.promise;
      return ownKeyAmong(owner, ['b', 'a']);
    });
    expect(loadersRunning()).toBe(1);
    gate.resolve();
    expect(await loading).toBe('a');
    expect(loadersRunning()).toBe(1);
    loaderSettled();
    expect(loadersRunning()).toBe(0);
  });

  it('a loader still running when another ends (which disables nothing) sees its keys across awaits and timers', async () => {
    const owner = {};
    const firstGate = deferred<void>();
    const secondGate = deferred<void>();
    const first = runAsLoaderOf(owner, ['first'], async () => firstGate.promise);
    const second = runAsLoaderOf(owner, ['second'], async () => {
      await secondGate.promise;
      await sleep(1);
      return [ownKeyAmong(owner, ['first']), ownKeyAmong(owner, ['second'])];
    });
    firstGate.resolve();
    await first;
    await Promise.resolve();
    expect(loadersRunning()).toBe(1);
    secondGate.resolve();
    expect(await second).toEqual([undefined, 'second']);
  });

  it('once every loader ended, the next one sees its keys again, and nothing is seen outside', async () => {
    const owner = {};
    await runAsLoaderOf(owner, ['a'], async () => sleep(1));
    await Promise.resolve();
    expect(loadersRunning()).toBe(0);
    expect(ownKeyAmong(owner, ['a'])).toBeUndefined();
    const seen = await runAsLoaderOf(owner, ['b'], async () => {
      await sleep(1);
      return [ownKeyAmong(owner, ['a']), ownKeyAmong(owner, ['b'])];
    });
    expect(seen).toEqual([undefined, 'b']);
    expect(ownKeyAmong(owner, ['b'])).toBeUndefined();
  });

  it('releaseIdleScope (called on every near-cache hit) lets go of nothing while a loader runs', async () => {
    const owner = {};
    const gate = deferred<void>();
    const loading = runAsLoaderOf(owner, ['a'], async () => {
      await gate.promise;
      await sleep(1);
      return ownKeyAmong(owner, ['a']);
    });
    releaseIdleScope(); // a hit elsewhere while the loader waits
    await sleep(1);
    releaseIdleScope();
    gate.resolve();
    expect(await loading).toBe('a');
  });

  it('after releaseIdleScope with no loader running, the next loader sees its keys and nothing leaks outside', async () => {
    const owner = {};
    await runAsLoaderOf(owner, ['a'], async () => sleep(1));
    await Promise.resolve();
    releaseIdleScope();
    const seen = await runAsLoaderOf(owner, ['b'], async () => {
      releaseIdleScope(); // a hit inside the loader itself
      await sleep(1);
      return [ownKeyAmong(owner, ['a']), ownKeyAmong(owner, ['b'])];
    });
    expect(seen).toEqual([undefined, 'b']);
    releaseIdleScope();
    expect(ownKeyAmong(owner, ['b'])).toBeUndefined();
  });
});
