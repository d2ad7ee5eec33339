import { type Conn, newStringCache, StringCodec } from '@redcache/core';
import { getRedis, type RedisHandle } from '@redcache/redis-harness';
import {
  createClient,
  createCluster,
  type RedisClientType,
  type RedisClusterType,
  type RedisFunctions,
  type RedisModules,
  type RedisScripts,
  type TypeMapping,
} from '@redis/client';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { connect, fromClient } from '../connect.js';
import { testPrefix } from '../test-support/redis.js';

// Issue 14, acceptance 3: `conn.client` is the node-redis client or cluster, typed, after
// `connect` and after `fromClient`. `pnpm typecheck` checks this file: a `conn.client` typed
// `unknown` again fails it (`.set` does not exist on `unknown`), and so do the
// `toEqualTypeOf` lines below if the type is anything but the client's own.

/** What `createClient()` and `createCluster()` return with no modules, functions, scripts or type mapping. */
const plainClient = () => createClient();
const plainCluster = () => createCluster({ rootNodes: [] });
type PlainClient = ReturnType<typeof plainClient>;
type PlainCluster = ReturnType<typeof plainCluster>;

const rootNodes = [{ url: 'redis://127.0.0.1:7000' }];

/** Never run: what a user writes with a cluster, which tsc checks. */
async function clusterUses(): Promise<void> {
  const viaConnect = await connect({ rootNodes });
  expectTypeOf(viaConnect).toEqualTypeOf<Conn<PlainCluster>>();
  await viaConnect.client.set('k', 'v');
  expectTypeOf(await viaConnect.client.get('k')).toEqualTypeOf<string | null>();

  const cluster = createCluster({ rootNodes, RESP: 3, defaults: { emitInvalidate: true } });
  const viaFromClient = fromClient(cluster);
  expectTypeOf(viaFromClient.client).toEqualTypeOf<typeof cluster>();
  await viaFromClient.client.set('k', 'v');
  newStringCache(viaConnect, StringCodec);
  newStringCache(viaFromClient, StringCodec);
}

/** Never run: a client with its own type mapping keeps it. */
async function typeMappingUses(): Promise<void> {
  const client = createClient({ RESP: 3, emitInvalidate: true }).withTypeMapping({ 36: Buffer });
  const conn = fromClient(client);
  expectTypeOf(conn.client).toEqualTypeOf<typeof client>();
  expectTypeOf(await conn.client.get('k')).toEqualTypeOf<Buffer | null>();
}

/** Never run: code written against the old union type still compiles. */
function unionUses<
  M extends RedisModules,
  F extends RedisFunctions,
  S extends RedisScripts,
  T extends TypeMapping,
>(client: RedisClientType<M, F, S, 3, T> | RedisClusterType<M, F, S, 3, T>): Conn {
  const conn = fromClient(client);
  const typed: typeof client = conn.client;
  void typed;
  return conn;
}

describe('a typed client (issue 14)', () => {
  let redis: RedisHandle;
  const prefix = testPrefix('typed-client');

  beforeAll(async () => {
    redis = await getRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('the type-only uses above are functions tsc checks (not run: they would need a cluster)', () => {
    expect(
      [clusterUses, typeMappingUses, unionUses, plainClient, plainCluster].every(
        (use) => typeof use === 'function',
      ),
    ).toBe(true);
  });

  it('after connect, conn.client.set(k, v) typechecks with no cast, and a view reads what it wrote', async () => {
    const conn = await connect({ url: redis.url });
    expectTypeOf(conn).toEqualTypeOf<Conn<PlainClient>>();
    try {
      await conn.client.set(`${prefix}connect`, 'v');
      const view = newStringCache(conn, StringCodec);
      expect(await view.get(`${prefix}connect-view`, '1m', async () => 'loaded')).toBe('loaded');
      expect(await conn.client.get(`${prefix}connect`)).toBe('v');
    } finally {
      await conn.close();
    }
  });

  it('after fromClient, conn.client is exactly the client passed', async () => {
    const client = createClient({ url: redis.url, RESP: 3, emitInvalidate: true });
    client.on('error', () => {});
    await client.connect();
    const conn = fromClient(client);
    expectTypeOf(conn.client).toEqualTypeOf<typeof client>();
    expect(conn.client).toBe(client);
    try {
      await conn.client.set(`${prefix}from-client`, 'v');
      const view = newStringCache(conn, StringCodec);
      expect(await view.get(`${prefix}from-client-view`, '1m', async () => 'loaded')).toBe('loaded');
      expect(await conn.client.get(`${prefix}from-client`)).toBe('v');
    } finally {
      await conn.close();
    }
  });
});
