import { ClosedError, RedisCommandError } from '../errors/errors.js';
import { CommandTimeoutError, RedisUnavailableError } from '../errors/resilience-errors.js';

/**
 * The error a merged send failed with, as one of its callers' own: the same failure, naming
 * that caller's operation and keys. Errors of other kinds are passed on as they are.
 */
export function errorForPart(error: unknown, op: string, key: unknown): unknown {
  if (error instanceof CommandTimeoutError)
    return new CommandTimeoutError(op, key, error.timeoutMs, error.server);
  if (error instanceof RedisUnavailableError)
    return new RedisUnavailableError(op, key, error.reason, error.since, error.server, error.cause);
  if (error instanceof RedisCommandError)
    return new RedisCommandError(op, key, error.cause, error.transport, error.server);
  if (error instanceof ClosedError) return new ClosedError(op, key);
  return error;
}
