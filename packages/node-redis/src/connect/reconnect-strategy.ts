/** node-redis's `socket.reconnectStrategy` option: retry in that many ms, or give up (`false`, an `Error`). */
export type ReconnectStrategy = false | number | ((retries: number, cause: Error) => false | Error | number);

/** What a strategy says after a failed attempt: the delay before the next one, or stop (`false`, an `Error`). */
export type RetryDecision = false | Error | number;

const MAX_BACKOFF_MS = 2_000;
const MAX_JITTER_MS = 200;

/**
 * What `strategy` decides for this failure. With none given, node-redis's documented default:
 * no retry after a socket timeout, else an exponential back-off (50 ms doubling per retry, at
 * most 2 s) plus up to 200 ms of jitter.
 */
export function decideRetry(
  strategy: ReconnectStrategy | undefined,
  retries: number,
  cause: Error,
): RetryDecision {
  if (strategy === false || typeof strategy === 'number') return strategy;
  if (typeof strategy === 'function') return strategy(retries, cause);
  if (cause?.constructor?.name === 'SocketTimeoutError') return false;
  return Math.min(2 ** retries * 50, MAX_BACKOFF_MS) + Math.floor(Math.random() * MAX_JITTER_MS);
}
