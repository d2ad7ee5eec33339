import { ClosedError, type Options } from '@redcache/core';
import { describe, expect, it, vi } from 'vitest';
import { deferred, flush, stateOf, storedText, useFakeTimedServer } from '../test-support/engine-process.js';

// set/setMulti and their caller's signal and close() (issue 10, defects 7 and 14).

const LOCK_TTL = 1_000;
const env = useFakeTimedServer({ lockTTLMs: LOCK_TTL });

const start = (options?: Options) => env.start(options);

describe('set and its caller', () => {
  it("defect 7: set whose signal aborts while its loader runs rejects with the signal's reason at once and restores the prior value", async () => {
    const a = start();
    await a.cache.forceSet('k', 60_000, 'prior');
    const loading = deferred<string>();
    const caller = new AbortController();
    const setting = a.cache.set('k', 60_000, () => loading.promise, { signal: caller.signal });
    setting.catch(() => {});
    await flush();
    expect(storedText(env.server, 'k')).toMatch(/^__redcache:lock:/);
    const reason = new Error('caller gave up');
    caller.abort(reason);
    await flush();
    expect(await stateOf(setting)).toBe('rejected');
    await expect(setting).rejects.toBe(reason);
    expect(storedText(env.server, 'k')).toBe('__redcache:v1:0:prior');
    loading.resolve('too late');
    await flush();
    expect(storedText(env.server, 'k')).toBe('__redcache:v1:0:prior');
    expect(await a.cache.get('k', 60_000, async () => 'loaded')).toBe('prior');
  });

  it('defect 7: setMulti whose signal aborts while its loader runs restores every prior value', async () => {
    const a = start();
    await a.cache.forceSet('x', 60_000, 'x0');
    const caller = new AbortController();
    const setting = a.cache.setMulti(['x', 'y'], 60_000, () => new Promise(() => {}), {
      signal: caller.signal,
    });
    await flush();
    caller.abort(new Error('gone'));
    await expect(setting).rejects.toThrow('gone');
    await flush();
    expect(storedText(env.server, 'x')).toBe('__redcache:v1:0:x0');
    expect(storedText(env.server, 'y')).toBeUndefined();
  });

  it('defect 7: close() rejects a set whose loader never settles with ClosedError and restores the prior value', async () => {
    const a = start();
    await a.cache.forceSet('k', 60_000, 'prior');
    const setting = a.cache.set('k', 60_000, () => new Promise<string>(() => {}));
    setting.catch(() => {});
    await flush();
    const closing = a.conn.close();
    await vi.advanceTimersByTimeAsync(5_000);
    await closing;
    await expect(setting).rejects.toBeInstanceOf(ClosedError);
    expect(storedText(env.server, 'k')).toBe('__redcache:v1:0:prior');
  });
});

describe('close() during writes', () => {
  it('defect 14: close() while a setMulti waits for its next key and a refresh runs: the prior value it took is rolled back', async () => {
    const a = start({ refreshAfterFraction: 0.5 });
    const other = start();
    await a.cache.forceSet('a', 60_000, 'a0');
    // Another process holds 'b' (its loader runs): a's setMulti takes 'a' and waits for 'b'.
    void other.cache.get('b', 60_000, () => new Promise<string>(() => {})).catch(() => {});
    await flush();
    // A refresh in a that never ends.
    expect(await a.cache.get('r', 1_000, async () => 'r0')).toBe('r0');
    await vi.advanceTimersByTimeAsync(600);
    expect(await a.cache.get('r', 1_000, () => new Promise<string>(() => {}))).toBe('r0');
    const setting = a.cache.setMulti(
      ['a', 'b'],
      60_000,
      async (keys) => new Map(keys.map((k) => [k, 'new'])),
    );
    setting.catch(() => {});
    await flush();
    expect(storedText(env.server, 'a')).toMatch(/^__redcache:lock:/);
    const closing = a.conn.close();
    await vi.advanceTimersByTimeAsync(5_000);
    await closing;
    await expect(setting).rejects.toBeInstanceOf(ClosedError);
    expect(storedText(env.server, 'a')).toBe('__redcache:v1:0:a0');
  });
});
