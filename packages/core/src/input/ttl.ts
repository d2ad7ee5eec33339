import { InvalidTTLError } from '../errors/errors.js';
import { parseDuration } from './parse-duration.js';
import { ttlMistake } from './ttl-mistake.js';

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

/** Duration strings already read, and their ttl (a call site passes the same few strings). */
const parsed = new Map<string, number>();
const PARSED_MAX = 256;

/**
 * Checks a ttl before any I/O and gives it in whole milliseconds. A ttl is a `Duration`: a
 * finite number of milliseconds, or a decimal number and a unit (`'250ms'`, `'90s'`, `'1.5m'`,
 * `'1h'`, `'7d'`; see `parseDuration`); greater than 0 and at most `MAX_TTL_MS`. A fraction of
 * a millisecond rounds up (Redis's PX takes integers, and PX 0 is an error): `'1.5s'` is 1 500,
 * `0.2` is 1. A number is always milliseconds: `60` is 60 ms, not a minute.
 *
 * @param ttl - the ttl as the caller gave it (ms, or a duration string).
 * @param op - the operation, for the error (`get`, `touchMulti`, …).
 * @param key - the key or keys as the caller gave them, for the error.
 * @returns the ttl in whole milliseconds, 1 to `MAX_TTL_MS`.
 * @throws InvalidTTLError naming the operation, the key and the value, when it is no such
 *   duration; for a likely mistake (a loader where the ttl belongs, an options object where
 *   the key belongs, `'5 minutes'`) the message shows the right call.
 */
export function toTtlMs(ttl: unknown, op: string, key: unknown): number {
  if (typeof ttl === 'number' && ttl > 0 && ttl <= MAX_TTL_MS) return Math.ceil(ttl);
  if (typeof ttl === 'string') {
    const known = parsed.get(ttl);
    if (known !== undefined) return known;
  }
  const ms = typeof ttl === 'string' ? parseDuration(ttl) : ttl;
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) {
    const { rule, hint } = ttlMistake(ttl, op, key);
    throw new InvalidTTLError(op, key, ttl, rule, hint);
  }
  if (ms > MAX_TTL_MS) throw new InvalidTTLError(op, key, ttl, TOO_LONG);
  const whole = Math.ceil(ms);
  if (typeof ttl === 'string') remember(ttl, whole);
  return whole;
}

function remember(text: string, ms: number): void {
  if (parsed.size >= PARSED_MAX) parsed.clear();
  parsed.set(text, ms);
}
