import type { Driver, RedisCommand } from '@redcache/core';
import { driverHooks } from './resilience-driver-hooks.js';

/** A driver that records every command it sends: tests count Redis round trips and commands. */
export interface CountingDriver extends Driver {
  readonly sent: RedisCommand[];
  /** Pipelines sent (round trips). */
  readonly pipelines: number;
  /** Commands whose first argument is `name` (and, if given, that contain `flag`). */
  count(name: string, flag?: string): number;
  reset(): void;
}

/**
 * Wraps `inner`, recording what it sends; `onSend`, if given, also sees every batch (see
 * key-spread.ts).
 */
export function countingDriver(
  inner: Driver,
  onSend: (commands: readonly RedisCommand[]) => void = () => {},
): CountingDriver {
  const sent: RedisCommand[] = [];
  let pipelines = 0;
  return {
    ...driverHooks(inner),
    get client() {
      return inner.client;
    },
    get sent() {
      return sent;
    },
    get pipelines() {
      return pipelines;
    },
    send(commands) {
      pipelines++;
      sent.push(...commands);
      onSend(commands);
      return inner.send(commands);
    },
    onInvalidate: (listener) => inner.onInvalidate(listener),
    slotOf: (key) => inner.slotOf(key),
    close: () => inner.close(),
    count(name, flag) {
      return sent.filter(
        (c) =>
          String(c.args[0]).toUpperCase() === name && (flag === undefined || c.args.some((a) => a === flag)),
      ).length;
    },
    reset() {
      sent.length = 0;
      pipelines = 0;
    },
  };
}

/**
 * Resolves once `driver` has reported every key in `keys` invalidated (or a flush): start it
 * before the write, await it after, instead of sleeping and hoping the push has landed.
 */
export function invalidated(driver: Driver, keys: readonly string[], timeoutMs = 5000): Promise<void> {
  const pending = new Set(keys);
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`no invalidation for ${[...pending].join(', ')} within ${timeoutMs} ms`));
    }, timeoutMs);
    const unsubscribe = driver.onInvalidate((key) => {
      if (key === null) pending.clear();
      else pending.delete(key);
      if (pending.size > 0) return;
      clearTimeout(timer);
      unsubscribe();
      resolve();
    });
  });
}
