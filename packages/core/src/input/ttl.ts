import { InvalidTTLError } from '../errors/errors.js';

/**
 * Checks a ttl before any I/O: a finite number of milliseconds greater than 0. A fractional
 * ttl rounds up to a whole millisecond (Redis's PX takes integers, and PX 0 is an error).
 */
export function toTtlMs(ttlMs: unknown, op: string, key: unknown): number {
  if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0)
    throw new InvalidTTLError(op, key, ttlMs);
  return Math.ceil(ttlMs);
}
