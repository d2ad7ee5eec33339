import type { Driver } from '@redcache/core';

/**
 * The redcache driver over a node-redis client or cluster. `client` is the one it was given,
 * typed as given, so a `Conn` opened over it types `conn.client` the same way.
 */
export interface NodeRedisDriver<C> extends Driver<C> {
  /** The node-redis client or cluster the driver was made over. */
  readonly client: C;
}
