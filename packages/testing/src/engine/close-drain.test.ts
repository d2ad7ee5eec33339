import { ClosedError, Conn, type Driver, newStringCache, type Options, StringCodec } from '@redcache/core';
import { readOrLockScript, unlockScript } from '@redcache/core/wire';
import { describe, expect, it, vi } from 'vitest';
import {
  deferred,
  flush,
  RecordingLogger,
  storedText,
  useFakeTimedServer,
} from '../test-support/engine-process.js';
import { runs } from '../test-support/gated-driver.js';
import { withSend } from '../test-support/with-send.js';

// What close() leaves behind (issue 10, defects 11–13 and acceptance 3).

const LOCK_TTL = 1_000;
const env = useFakeTimedServer({ lockTTLMs: LOCK_TTL });

/** A process whose unlocks answer 300 ms late (so close() waits) and whose reads can be delayed. */
function openSlowUnlocks() {
  const inner = env.server.connect();
  let readDelayMs = 0;
  const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const driver = withSend(inner, async (commands) => {
    if (commands.some((c) => runs(c, unlockScript))) await later(300);
    if (readDelayMs > 0 && commands.some((c) => runs(c, readOrLockScript))) await later(readDelayMs);
    return inner.send(commands);
  });
  const log = new RecordingLogger();
  const conn = Conn.open(driver, { lockTTLMs: LOCK_TTL, logger: log });
  const p = { conn, log, cache: newStringCache(conn, StringCodec) };
  env.closeAfter(() => conn.close());
  return {
    ...p,
    delayReads(ms: number) {
      readDelayMs = ms;
    },
  };
}

const start = (options?: Options) => env.start(options);

describe('close()', () => {
  it('defect 11: a read in flight at close() stores nothing: a later get rejects with ClosedError', async () => {
    const a = start();
    env.server.write('k', '__redcache:v1:0:stored', { pxMs: 60_000 });
    a.driver.pause();
    const reading = a.cache.get('k', 60_000, async () => 'loaded');
    reading.catch(() => {});
    await flush();
    const closing = a.conn.close();
    await vi.advanceTimersByTimeAsync(5_000);
    await closing;
    await expect(reading).rejects.toBeInstanceOf(ClosedError);
    await expect(a.cache.get('k', 60_000, async () => 'loaded')).rejects.toBeInstanceOf(ClosedError);
    await expect(a.cache.peek('k', 60_000)).rejects.toBeInstanceOf(ClosedError);
  });

  it("defect 12: a read that lands during close's wait runs no loader and leaves no lock in Redis", async () => {
    const a = openSlowUnlocks();
    // 'held' keeps close() waiting (its unlock answers late); 'k' is read meanwhile.
    void a.cache.get('held', 60_000, () => new Promise<string>(() => {})).catch(() => {});
    await flush();
    const loader = vi.fn(async () => 'loaded');
    a.delayReads(50);
    const reading = a.cache.get('k', 60_000, loader);
    reading.catch(() => {});
    await vi.advanceTimersByTimeAsync(10);
    const closing = a.conn.close();
    await vi.advanceTimersByTimeAsync(5_000);
    await closing;
    expect(loader).not.toHaveBeenCalled();
    expect(storedText(env.server, 'k')).toBeUndefined();
    expect(storedText(env.server, 'held')).toBeUndefined();
  });

  it('defect 13: no lock renewal outlives close(): no timer is left and nothing is logged after it resolves', async () => {
    const a = openSlowUnlocks();
    void a.cache.get('held', 60_000, () => new Promise<string>(() => {})).catch(() => {});
    await flush();
    a.delayReads(50);
    void a.cache.get('k', 60_000, () => new Promise<string>(() => {})).catch(() => {});
    await vi.advanceTimersByTimeAsync(10);
    const closing = a.conn.close();
    await vi.advanceTimersByTimeAsync(5_000);
    await closing;
    const logged = a.log.records.length;
    await vi.advanceTimersByTimeAsync(10 * LOCK_TTL);
    expect(a.log.records.slice(logged).map((r) => r.message)).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('after close() resolves no command is sent, even when loaders settle later', async () => {
    let sentAfterClose = 0;
    let closed = false;
    const inner = env.server.connect();
    const driver: Driver = withSend(inner, (commands) => {
      if (closed) sentAfterClose += commands.length;
      return inner.send(commands);
    });
    const conn = Conn.open(driver, { lockTTLMs: LOCK_TTL, refreshAfterFraction: 0.5 });
    env.closeAfter(() => conn.close());
    const cache = newStringCache(conn, StringCodec);
    const loads = [deferred<string>(), deferred<string>(), deferred<string>()];
    await cache.forceSet('w', 60_000, 'w0');
    const calls = [
      cache.get('g', 60_000, () => loads[0]!.promise),
      cache.set('w', 60_000, () => loads[1]!.promise),
      cache.getMulti(['m1', 'm2'], 60_000, () =>
        loads[2]!.promise.then(
          (v) =>
            new Map([
              ['m1', v],
              ['m2', v],
            ]),
        ),
      ),
    ];
    for (const call of calls) call.catch(() => {});
    await flush();
    const closing = conn.close();
    await vi.advanceTimersByTimeAsync(5_000);
    await closing;
    closed = true;
    for (const load of loads) load.resolve('late');
    await vi.advanceTimersByTimeAsync(10 * LOCK_TTL);
    expect(sentAfterClose).toBe(0);
    for (const key of ['g', 'm1', 'm2']) expect(storedText(env.server, key)).toBeUndefined();
    expect(storedText(env.server, 'w')).toBe('__redcache:v1:0:w0');
    // The memory env.server's own expiry timer goes with its keys; what is left would be ours.
    env.server.flushAll();
    expect(vi.getTimerCount()).toBe(0);
    for (const call of calls) await expect(call).rejects.toBeInstanceOf(ClosedError);
  });
});
