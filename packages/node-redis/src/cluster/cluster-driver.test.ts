import { InvalidOptionsError, keySlot, newStringCache, type RedisCommand, StringCodec } from '@redcache/core';
import { type RedisCluster, redisCommand } from '@redcache/redis-harness';
import { BasicPooledClientSideCache, createCluster, type RedisClusterType } from '@redis/client';
import { describe, expect, it, vi } from 'vitest';
import { connect, fromClient } from '../connect.js';
import { createNodeRedisDriver, type NodeRedisDriver } from '../create-node-redis-driver.js';
import {
  commandCalls,
  keyPerMaster,
  nodeInfo,
  ownerPort,
  trackingCluster,
  useOwnCluster,
} from '../test-support/cluster.js';
import { expectFromClientServesAndCloses } from '../test-support/from-client.js';
import { testPrefix, text, waitFor } from '../test-support/redis.js';

const prefix = testPrefix('cluster');
const get = (key: string): RedisCommand => ({ key, args: ['GET', key] });

describe('createNodeRedisDriver: which clusters it takes', () => {
  const rootNodes = [{ url: 'redis://127.0.0.1:1' }];

  it('rejects a cluster whose nodes report no invalidations, and says what to do', () => {
    const cluster = createCluster({ rootNodes });
    const attempt = () => createNodeRedisDriver(cluster);
    expect(attempt).toThrow(InvalidOptionsError);
    expect(attempt).toThrow(/defaults: \{ emitInvalidate: true \}/);
    expect(attempt).toThrow(/connect\(\{ rootNodes \}\)/);
    expect(cluster.listenerCount('node-ready')).toBe(0);
  });

  it('rejects a RESP2 cluster', () => {
    const cluster = createCluster({ rootNodes, RESP: 2, defaults: { emitInvalidate: true } });
    expect(() => createNodeRedisDriver(cluster as unknown as RedisClusterType)).toThrow(/RESP2/);
  });

  it('takes defaults.emitInvalidate or a clientSideCache; slotOf is the hash slot', async () => {
    const driver = createNodeRedisDriver(
      createCluster({ rootNodes, RESP: 3, defaults: { emitInvalidate: true } }),
    );
    for (const key of ['', 'a', 'user:42', '{tag}x', 'é']) expect(driver.slotOf(key)).toBe(keySlot(key));
    expect(driver.slotOf('{tag}x')).toBe(driver.slotOf('{tag}y'));
    await driver.close();
    const cached = createNodeRedisDriver(
      createCluster({ rootNodes, RESP: 3, clientSideCache: new BasicPooledClientSideCache() }),
    );
    await cached.close();
  });
});

describe('the cluster driver on a real cluster (3 masters, 3 replicas)', () => {
  let redis: RedisCluster;
  let writer: RedisClusterType;
  useOwnCluster((cluster, client) => {
    redis = cluster;
    writer = client;
  });

  it("slotOf agrees with the server's CLUSTER KEYSLOT", async () => {
    const driver = createNodeRedisDriver(await trackingCluster(redis));
    const node = redis.nodes[0]!;
    for (const key of ['', 'a', 'user:42', '{tag}x', '{}x', 'a{b}c{d}', 'é€']) {
      expect(driver.slotOf(key)).toBe(await redisCommand(node.host, node.port, ['CLUSTER', 'KEYSLOT', key]));
    }
    await driver.close();
  });

  it('serverOf names the master that owns the key, as host:port', async () => {
    const client = await trackingCluster(redis);
    const driver = createNodeRedisDriver(client);
    for (const key of keyPerMaster(client, prefix)) {
      expect(driver.serverOf?.(key)).toBe(`127.0.0.1:${ownerPort(client, key)}`);
    }
    await driver.close();
  });

  it('arms no AbortSignal.timeout per command', async () => {
    const client = await trackingCluster(redis);
    const driver = createNodeRedisDriver(client);
    const keys = keyPerMaster(client, prefix);
    const timeout = vi.spyOn(AbortSignal, 'timeout');
    try {
      await client.get(keys[0]!);
      expect(timeout).toHaveBeenCalled(); // the spy sees node-redis's own timer when it arms one
      timeout.mockClear();
      for (const key of keys) await driver.send([get(key), get(key)]);
      expect(timeout).not.toHaveBeenCalled();
    } finally {
      timeout.mockRestore();
      await driver.close();
    }
  });

  it('reads keys on all three masters, and reports each when another client writes it', async () => {
    const client = await trackingCluster(redis);
    const driver = createNodeRedisDriver(client);
    const seen: Array<string | null> = [];
    driver.onInvalidate((key) => seen.push(key));
    const keys = keyPerMaster(client, `${prefix}spread:`);
    expect(new Set(keys.map((key) => ownerPort(client, key))).size).toBe(3);
    await writer.set(keys[0]!, 'before');
    // One call per slot, as core sends them.
    const values = await Promise.all(keys.map((key) => driver.send([get(key)])));
    expect(values.map(([value]) => (value === null ? null : text(value)))).toEqual(['before', null, null]);
    // The driver listens on every master's client.
    for (const master of client.masters) expect(master.client?.listenerCount('invalidate')).toBe(1);
    seen.length = 0; // the node-ready nulls of connecting, if any came late
    for (const key of keys) await writer.set(key, 'changed');
    await waitFor(() => keys.every((key) => seen.includes(key)));
    expect(seen.filter((key) => key !== null).sort()).toEqual([...keys].sort());
    await driver.close();
  });

  it('sends the commands of one call to the owning master in one write (one round trip)', async () => {
    const client = await trackingCluster(redis);
    // No liveness PING may land among the reads counted here.
    const driver = createNodeRedisDriver(client, { livenessCheck: false });
    const tag = `{${prefix}pipeline}`;
    const commands = Array.from({ length: 100 }, (_, index) => get(`${tag}:${index}`));
    const port = ownerPort(client, tag);
    await driver.send([commands[0]!]); // the node client is connected and its slot known
    const reads = async () => Number((await nodeInfo(port, 'stats')).get('total_reads_processed'));
    const getsBefore = await commandCalls(port, 'get');
    const readsBefore = await reads();
    const replies = await driver.send(commands);
    const readsDelta = (await reads()) - readsBefore;
    expect(replies).toEqual(Array.from({ length: 100 }, () => null));
    expect(await commandCalls(port, 'get')).toBe(getsBefore + 100);
    // The second INFO is one read and the 100 GETs one (two, should TCP split them); a
    // replica's once-a-second REPLCONF ACK may add one more.
    expect(readsDelta).toBeLessThanOrEqual(4);

    // (control) one call per command: one read per command.
    const controlBefore = await reads();
    for (const command of commands) await driver.send([command]);
    expect((await reads()) - controlBefore).toBeGreaterThanOrEqual(100);
    await driver.close();
  });

  it('keeps the order of a call, also for commands node-redis could split by slot (DEL, EXISTS, TOUCH)', async () => {
    const driver = createNodeRedisDriver(await trackingCluster(redis));
    const key = `${prefix}order`;
    const replies = await driver.send([
      { key, args: ['SET', key, 'a'] },
      { key, args: ['DEL', key] },
      get(key),
      { key, args: ['SET', key, 'b'] },
      { key, args: ['EXISTS', key] },
      { key, args: ['DEL', key] },
      { key, args: ['EXISTS', key] },
      get(key),
      { key, args: ['TOUCH', key] },
    ]);
    expect(replies).toEqual(['OK', 1, null, 'OK', 1, 1, 0, null, 0]);
    await driver.close();
  });

  it("runs a key's script on the master that owns the key's slot", async () => {
    const client = await trackingCluster(redis);
    const driver = createNodeRedisDriver(client);
    const script = "redis.call('SET', KEYS[1], ARGV[1]); return redis.call('GET', KEYS[1])";
    for (const key of keyPerMaster(client, `${prefix}script:`)) {
      const owner = ownerPort(client, key);
      const before = await commandCalls(owner, 'eval');
      const [reply] = await driver.send([{ key, args: ['EVAL', script, '1', key, `ran-${key}`] }]);
      expect(text(reply)).toBe(`ran-${key}`);
      expect(await commandCalls(owner, 'eval')).toBe(before + 1);
      for (const master of client.masters) {
        const value = await redisCommand('127.0.0.1', master.port, ['GET', key]);
        if (master.port === owner) expect(value).toBe(`ran-${key}`);
        else expect(String(value)).toMatch(/^Error: MOVED/);
      }
    }
    await driver.close();
  });

  it('puts error replies in their slots, and normalises replies as the standalone driver does', async () => {
    const driver = createNodeRedisDriver(await trackingCluster(redis));
    const key = `{${prefix}shapes}`;
    const replies = await driver.send([
      { key, args: ['SET', key, new Uint8Array([0, 255, 10]), 'PX', '60000'] },
      get(key),
      { key, args: ['INCR', key] },
      { key, args: ['EVALSHA', 'ffffffffffffffffffffffffffffffffffffffff', '1', key] },
      { key, args: ['PTTL', key] },
      { key, args: ['EVAL', 'redis.setresp(3); return {double=3.5}', '1', key] },
      { key, args: ['HSET', `${key}:hash`, 'field', 'x'] },
    ]);
    expect(replies[0]).toBe('OK');
    expect([...(replies[1] as Uint8Array)]).toEqual([0, 255, 10]);
    expect((replies[2] as Error).message).toMatch(/not an integer/);
    expect((replies[3] as Error).message).toMatch(/^NOSCRIPT/);
    expect(replies[4]).toBeGreaterThan(59_000);
    expect(replies[5]).toBe(3.5);
    expect(replies[6]).toBe(1);
    expect(await driver.send([])).toEqual([]);
    await driver.close();
  });

  it('routes a stray command of another slot by its own key; one whose key is not its argument gets MOVED', async () => {
    const client = await trackingCluster(redis);
    const driver = createNodeRedisDriver(client);
    const [first, second] = keyPerMaster(client, `${prefix}stray:`);
    await writer.set(second!, 'elsewhere');
    const replies = await driver.send([
      get(first!),
      get(second!), // a second slot in one call: core never does it, but it is answered
      { key: first!, args: ['GET', second!] }, // misnamed: left as the server's MOVED
    ]);
    expect(replies[0]).toBeNull();
    expect(text(replies[1])).toBe('elsewhere');
    expect((replies[2] as Error).message).toMatch(/^MOVED /);
    await driver.close();
  });

  it('connect({ rootNodes }) opens a Conn over a cluster; getMulti spans all masters; writes elsewhere invalidate', async () => {
    const conn = await connect({ rootNodes: [...redis.rootNodes] });
    const client = conn.client as RedisClusterType;
    expect(client.isReady).toBe(true);
    expect(client._options.RESP).toBe(3);
    expect(client._options.defaults?.emitInvalidate).toBe(true);
    const cache = newStringCache(conn, StringCodec);
    const keys = keyPerMaster(client, `${prefix}conn:`);
    let loads = 0;
    const loader = async (wanted: string[]) =>
      new Map(wanted.map((key) => [key, `loaded-${key}-${++loads}`]));
    const first = await cache.getMulti(keys, 60_000, loader);
    expect(loads).toBe(3);
    expect(await cache.getMulti(keys, 60_000, loader)).toEqual(first);
    expect(loads).toBe(3);
    // Another process deletes a key on each master: each near-cache entry goes.
    for (const key of keys) await writer.del(key);
    await waitFor(async () => {
      const peeks = await Promise.all(keys.map((key) => cache.peek(key, 60_000)));
      return peeks.every((peek) => !peek.found);
    });
    const again = await cache.get(keys[1]!, 60_000, async () => 'reloaded');
    expect(again).toBe('reloaded');
    await conn.close();
    expect(client.isOpen).toBe(false);
  });

  it('fromClient(cluster) opens a Conn over your cluster, and leaves it untouched when the options are invalid', async () => {
    const client = await trackingCluster(redis);
    const listeners = client.listenerCount('node-ready');
    expect(() => fromClient(client, { lockTTLMs: 5 })).toThrow(InvalidOptionsError);
    expect(client.listenerCount('node-ready')).toBe(listeners);
    for (const master of client.masters) expect(master.client?.listenerCount('invalidate')).toBe(0);
    await expectFromClientServesAndCloses(client, `${prefix}from-client`);
  });

  it('connect() refuses a RESP2 cluster', async () => {
    const options = { rootNodes: [...redis.rootNodes], RESP: 2 } as unknown as { url: string };
    await expect(connect(options)).rejects.toThrow(/RESP must be 3/);
  });

  it('unsubscribe stops a listener; close() closes the cluster once and removes every listener', async () => {
    const client = await trackingCluster(redis);
    const errorListeners = client.listenerCount('error');
    const driver: NodeRedisDriver<RedisClusterType> = createNodeRedisDriver(client);
    expect(driver.client).toBe(client);
    const key = `${prefix}closing`;
    const seen: Array<string | null> = [];
    const unsubscribe = driver.onInvalidate((changed) => seen.push(changed));
    await driver.send([get(key)]);
    await writer.set(key, '1');
    await waitFor(() => seen.includes(key));
    unsubscribe();
    seen.length = 0;
    // A listener still subscribed hears the next push: once it has, the first one would have too.
    const control: Array<string | null> = [];
    const unsubscribeControl = driver.onInvalidate((changed) => control.push(changed));
    await driver.send([get(key)]);
    await writer.set(key, '2');
    await waitFor(() => control.includes(key));
    unsubscribeControl();
    expect(seen).toEqual([]);

    const nodeClients = client.masters.map((master) => master.client!);
    driver.onInvalidate((changed) => seen.push(changed));
    await Promise.all([driver.close(), driver.close()]);
    await driver.close();
    expect(client.isOpen).toBe(false);
    for (const node of nodeClients) {
      expect(node.isOpen).toBe(false);
      expect(node.listenerCount('invalidate')).toBe(0);
    }
    for (const event of ['node-ready', 'node-error', 'node-connect', 'node-disconnect']) {
      expect(client.listenerCount(event)).toBe(0);
    }
    expect(client.listenerCount('error')).toBe(errorListeners);
    expect(seen).toEqual([]);
    await expect(driver.send([get(key)])).rejects.toThrow(/closed/i);
  });
});
