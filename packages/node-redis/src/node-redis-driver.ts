import type { Driver } from '@redcache/core';

/** The redcache driver over a node-redis client or cluster. `client` is the one it was given. */
export interface NodeRedisDriver<C> extends Driver {
  readonly client: C;
}
