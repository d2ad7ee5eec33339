import { RedcacheError } from './errors.js';

/**
 * Whether `error` says Redis could not be reached, as opposed to Redis answering with an
 * error: the breaker is open (`E_UNAVAILABLE`), a round trip timed out (`E_TIMEOUT`), or a
 * send failed on the connection (`E_REDIS` with `transport`). What degraded reads and
 * fail-safe fall back on.
 */
export function isRedisDown(error: unknown): boolean {
  if (!RedcacheError.isInstance(error)) return false;
  if (error.code === 'E_UNAVAILABLE' || error.code === 'E_TIMEOUT') return true;
  return error.code === 'E_REDIS' && (error as { transport?: unknown }).transport === true;
}
