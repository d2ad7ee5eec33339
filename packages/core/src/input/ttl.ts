import { InvalidTTLError } from '../errors/errors.js';

/**
 * The longest ttl a call accepts: 9,223,372,036,854 ms (about 292 years), the longest whole
 * number of milliseconds a Go `time.Duration` holds, so the Go library can read back the PTTL
 * of anything this one writes. Redis itself and every command and script the engine sends
 * accept it, measured on Redis 7.0: `SET … PX` and `PEXPIRE` take up to 2^63 − 1 minus the
 * server's clock in ms; the restore-value script hands a ttl to Redis as a Lua number, which
 * Redis formats with %.17g, so it stays exact below 2^53 and plain digits below 10^17.
 */
export const MAX_TTL_MS = 9_223_372_036_854;

const TOO_LONG = `must be at most ${MAX_TTL_MS} ms (about 292 years, the longest ttl Redis, the scripts and the Go library all accept)`;

/**
 * Checks a ttl before any I/O: a finite number of milliseconds greater than 0 and at most
 * `MAX_TTL_MS`. A fractional ttl rounds up to a whole millisecond (Redis's PX takes integers,
 * and PX 0 is an error).
 */
export function toTtlMs(ttlMs: unknown, op: string, key: unknown): number {
  if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0)
    throw new InvalidTTLError(op, key, ttlMs);
  if (ttlMs > MAX_TTL_MS) throw new InvalidTTLError(op, key, ttlMs, TOO_LONG);
  return Math.ceil(ttlMs);
}
