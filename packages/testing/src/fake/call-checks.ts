import { InvalidTTLError } from '@redcache/core';

/** A ttl as the real cache takes it: a finite number > 0, rounded up to whole ms; else `InvalidTTLError`. */
export function checkTtl(op: string, key: unknown, ttlMs: unknown): number {
  if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0)
    throw new InvalidTTLError(op, key, ttlMs);
  return Math.ceil(ttlMs);
}

/** A TypeError, as the real cache throws, when a loader is not a function. */
export function checkLoader(op: string, key: unknown, loader: unknown): void {
  if (typeof loader !== 'function') {
    throw new TypeError(
      `redcache: ${op}: loader must be a function (key ${JSON.stringify(key) ?? String(key)})`,
    );
  }
}
