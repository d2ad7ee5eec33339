import { MAX_TIMER_MS } from '../config/max-timer.js';
import { InvalidOptionsError } from '../errors/errors.js';

/**
 * How long `connect` may take, in ms, retries and the server check included, before it
 * gives up with a `ConnectError`: long enough for a server that is restarting, short enough
 * that an app which cannot reach Redis says so at start instead of hanging.
 */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

/**
 * The `connectTimeoutMs` option: the default when it is left out, else a whole number of ms
 * from 1 to `MAX_TIMER_MS`. Throws `InvalidOptionsError` naming it when invalid.
 */
export function connectTimeoutOf(option: unknown): number {
  if (option === undefined) return DEFAULT_CONNECT_TIMEOUT_MS;
  if (Number.isInteger(option) && (option as number) >= 1 && (option as number) <= MAX_TIMER_MS) {
    return option as number;
  }
  throw new InvalidOptionsError([
    `connectTimeoutMs: must be a positive integer (ms), at most ${MAX_TIMER_MS}; got ${String(option)}`,
  ]);
}
