/**
 * The engine and the project's cluster driver (node-redis, or ioredis in `ioredis-cluster`)
 * against the project's Redis Cluster (3 masters, 3 replicas, started by the global setup):
 * batched reads per slot, the cross-process stampede, and coherence across connections, with
 * keys on every master.
 */
import { keySlot, newStringCache, StringCodec } from '@redcache/core';
import { readOrLockScript, wrapEnvelope } from '@redcache/core/wire';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import {
  mastersOf,
  ownerOf as ownerOfIn,
  type SlotOwners,
  slotOwners,
  keysOnEveryMaster as spreadKeys,
} from '../../src/cluster-topology.js';
import { invalidated } from '../../src/counting-driver.js';
import { keyPrefix, openConn, plainClient } from '../../src/open-conn.js';
import { clusterRootNodes } from '../../src/redis-target.js';
import { useWorkers } from '../../src/use-workers.js';

const prefix = keyPrefix('cluster');
const TTL = 60_000;

const target = inject('redisTarget');
let owners: SlotOwners;
let masters: number[];

beforeAll(async () => {
  const rootNodes = clusterRootNodes(target);
  if (rootNodes === undefined) throw new Error(`the cluster project runs on a cluster, not ${target}`);
  owners = await slotOwners(Number(new URL(rootNodes[0]!.url).port));
  masters = mastersOf(owners);
});

const workers = useWorkers(target);
const ownerOf = (key: string) => ownerOfIn(owners, key);
const keysOnEveryMaster = (name: string, count: number) => spreadKeys(owners, `${prefix}${name}:`, count);

/** Is `command` a call of the read script (EVAL of its source, or EVALSHA of its sha1)? */
function isRead(args: readonly unknown[]): boolean {
  const name = String(args[0]).toUpperCase();
  return (
    (name === 'EVALSHA' && args[1] === readOrLockScript.sha1) ||
    (name === 'EVAL' && args[1] === readOrLockScript.source)
  );
}

describe('Redis Cluster', () => {
  it('getMulti of 1,000 keys: one read round trip per slot, on every master; one loader call', async () => {
    const t = await openConn(target);
    try {
      const cache = newStringCache(t.conn, StringCodec);
      // Load the read script on every master first, so no NOSCRIPT retry adds round trips.
      const warm = keysOnEveryMaster('warm', 3);
      await cache.getMulti(warm, TTL, async (keys) => new Map(keys.map((key) => [key, 'w'])));

      // Half spread over the whole slot space, half in hash-tag pairs (two keys per slot).
      const keys = Array.from({ length: 1000 }, (_, i) =>
        i < 500 ? `${prefix}many:${i}` : `${prefix}many:{t${i % 250}}:${i}`,
      );
      const slots = new Set(keys.map(keySlot));
      expect(slots.size).toBeLessThan(800);
      expect(new Set(keys.map(ownerOf)).size).toBe(3);
      const calls: string[][] = [];
      t.driver.reset();
      const result = await cache.getMulti(keys, TTL, async (missing) => {
        calls.push([...missing]);
        return new Map(missing.map((key) => [key, `v:${key}`]));
      });

      expect(result.size).toBe(1000);
      for (const key of keys) expect(result.get(key)).toBe(`v:${key}`);
      expect(calls).toHaveLength(1);
      expect([...calls[0]!].sort()).toEqual([...keys].sort());

      const reads = t.driver.sent.filter((command) => isRead(command.args));
      // One read script call (each its own pipeline) per slot, covering every key exactly once.
      expect(reads).toHaveLength(slots.size);
      const readSlots = reads.map((command) => {
        const count = Number(command.args[2]);
        const readKeys = command.args.slice(3, 3 + count).map(String);
        expect(new Set(readKeys.map(keySlot)).size).toBe(1);
        return { slot: keySlot(readKeys[0]!), keys: readKeys };
      });
      expect(new Set(readSlots.map((read) => read.slot))).toEqual(slots);
      expect(readSlots.flatMap((read) => read.keys).sort()).toEqual([...keys].sort());
      // Keys sharing a slot share its round trip.
      expect(readSlots.some((read) => read.keys.length > 1)).toBe(true);

      const perMaster = new Map<number, number>();
      for (const read of readSlots) {
        const port = owners[read.slot]!;
        perMaster.set(port, (perMaster.get(port) ?? 0) + 1);
      }
      expect(perMaster.size).toBe(3);
      for (const port of masters) expect(perMaster.get(port) ?? 0).toBeGreaterThanOrEqual(1);

      // Now every key is in the near cache: a second getMulti sends nothing and loads nothing.
      t.driver.reset();
      const again = await cache.getMulti(keys, TTL, async () => {
        throw new Error('must not load');
      });
      expect(again.size).toBe(1000);
      expect(t.driver.sent).toHaveLength(0);
    } finally {
      await t.conn.close();
    }
  });

  it('4 processes x 50 concurrent gets of 5 cold keys on every master: one loader call per key', async () => {
    const keys = keysOnEveryMaster('stampede', 5);
    expect(new Set(keys.map(ownerOf)).size).toBe(3);
    const pool = await workers.spawn(4);
    const results = await Promise.all(
      pool.map((worker) =>
        Promise.all(keys.map((key) => workers.get(worker, key, { concurrency: 50, loaderMs: 200 }))),
      ),
    );
    for (const [index, key] of keys.entries()) {
      expect(await workers.loads(key)).toBe(1);
      const values = results.flatMap((perWorker) => perWorker[index]!.values);
      expect(values).toHaveLength(200);
      expect(new Set(values).size).toBe(1);
      expect(values[0]).toMatch(new RegExp(`^value-of-${key}@\\d+$`));
    }
    // Each worker's count of its own loader calls (cumulative: the largest of its replies).
    const loaderCalls = results.map((perWorker) => Math.max(...perWorker.map((r) => r.loaderCalls)));
    expect(loaderCalls.reduce((sum, n) => sum + n, 0)).toBe(keys.length);
  });

  it('a value cached by one Conn is dropped and re-read after another Conn or client writes it, on every master', async () => {
    const a = await openConn(target);
    const b = await openConn(target);
    const plain = await plainClient(target);
    try {
      const cacheA = newStringCache(a.conn, StringCodec);
      const cacheB = newStringCache(b.conn, StringCodec);
      const mustNotLoad = async (): Promise<string> => {
        throw new Error('must not load');
      };
      const keys = keysOnEveryMaster('coherence', 3);
      expect(new Set(keys.map(ownerOf)).size).toBe(3);

      /** `get` through A returns `expected`; `sends` says whether it had to ask Redis. */
      const readA = async (key: string, expected: string, sends: boolean) => {
        a.driver.reset();
        expect(await cacheA.get(key, TTL, mustNotLoad)).toBe(expected);
        if (sends) expect(a.driver.sent.some((command) => isRead(command.args))).toBe(true);
        else expect(a.driver.sent).toHaveLength(0);
      };

      for (const key of keys) {
        expect(await cacheA.get(key, TTL, async () => 'v1')).toBe('v1');
        await readA(key, 'v1', false);

        // Another Conn writes it.
        let dropped = invalidated(a.driver, [key]);
        await cacheB.forceSet(key, TTL, 'v2');
        await dropped;
        await readA(key, 'v2', true);
        await readA(key, 'v2', false);

        // A plain client (another service) overwrites it.
        dropped = invalidated(a.driver, [key]);
        await plain.set(key, Buffer.from(wrapEnvelope('v3', 0)), { PX: TTL });
        await dropped;
        await readA(key, 'v3', true);
        await readA(key, 'v3', false);

        // ...and deletes it: A loads again.
        dropped = invalidated(a.driver, [key]);
        await plain.del(key);
        await dropped;
        a.driver.reset();
        expect(await cacheA.get(key, TTL, async () => 'v4')).toBe('v4');
        expect(a.driver.sent.some((command) => isRead(command.args))).toBe(true);
      }
    } finally {
      await Promise.all([a.conn.close(), b.conn.close(), plain.close()]);
    }
  });
});
