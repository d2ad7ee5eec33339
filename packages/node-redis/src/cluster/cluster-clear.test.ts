import { newStringCache, StringCodec } from '@redcache/core';
import type { RedisCluster } from '@redcache/redis-harness';
import { createCluster, type RedisClusterType } from '@redis/client';
import { describe, expect, it } from 'vitest';
import { fromClient } from '../connect.js';
import { useOwnCluster } from '../test-support/cluster.js';
import { testPrefix } from '../test-support/redis.js';

const prefix = testPrefix('cluster-clear');

describe('clear on a cluster client that is still connecting', () => {
  let redis: RedisCluster;
  let writer: RedisClusterType;
  useOwnCluster((cluster, client) => {
    redis = cluster;
    writer = client;
  });

  it('waits for the topology, then removes the keys on every master (was: resolved 0, removing nothing, while the masters were unknown)', async () => {
    const keys = Array.from({ length: 30 }, (_, i) => `${prefix}k${i}`);
    for (const key of keys) await writer.set(key, 'v');
    const yours: RedisClusterType = createCluster({
      rootNodes: [...redis.rootNodes],
      RESP: 3,
      defaults: { emitInvalidate: true },
    });
    yours.on('error', () => {});
    const conn = fromClient(yours);
    const view = newStringCache(conn, StringCodec, { prefix });
    const clearing = view.clear();
    await yours.connect();
    expect(await clearing).toBe(keys.length);
    expect(await writer.exists(keys)).toBe(0);
    await conn.close();
  });
});
