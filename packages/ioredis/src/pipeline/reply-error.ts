/**
 * True for an error reply from Redis (`ERR …`, `NOSCRIPT …`, `WRONGTYPE …`): ioredis gives
 * those as a `ReplyError` (from `redis-errors`). Anything else it rejects with (a closed
 * connection, a full offline queue) means the reply never came. Judged by name, not
 * `instanceof`, so a second copy of `redis-errors` in the tree still counts.
 */
export function isReplyError(error: unknown): error is Error {
  return error instanceof Error && error.name === 'ReplyError';
}
