/**
 * The cluster driver while a slot moves between masters (own cluster: 3 masters, 3 replicas),
 * moved step by step with the harness's `SlotMigration`. The driver reads the topology only
 * at start and after a MOVED here (`slotsRefreshInterval` of a minute), so it still routes a
 * moved slot to its old owner, which answers MOVED.
 */
import { keySlot, type RedisCommand, type RedisReply } from '@redcache/core';
import { freePort, redisCommand, SlotMigration } from '@redcache/redis-harness';
import { Cluster } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { driverFor } from '../create-ioredis-driver.js';
import { errorReplies, openClusterDriver, waitUntil } from '../test-support/cluster-fixture.js';
import { useCluster } from '../test-support/own-server.js';
import type { ClusterDriver } from './cluster-driver.js';

const cluster = useCluster();

const get = (key: string): RedisCommand => ({ key, args: ['GET', key] });
const set = (key: string, value: string): RedisCommand => ({ key, args: ['SET', key, value] });
const text = (reply: RedisReply | Error | undefined): unknown =>
  reply instanceof Uint8Array ? Buffer.from(reply).toString() : reply;
const open = () => openClusterDriver(cluster, { slotsRefreshInterval: 60_000 });

/** Collects what the driver reports, from now on. */
function listen(driver: ClusterDriver<Cluster>): Array<string | null> {
  const seen: Array<string | null> = [];
  driver.onInvalidate((key) => seen.push(key));
  return seen;
}

/** One round trip on the driver (a key nobody writes): the invalidations queued before it have arrived. */
async function roundTrip(driver: ClusterDriver<Cluster>, probe: string): Promise<void> {
  const [reply] = await driver.send([get(probe)]);
  if (reply instanceof Error) throw reply;
}

/** Writes on the node at `port` directly (another client, no redirects followed). */
async function writeOn(port: number, key: string, value: string): Promise<void> {
  const reply = await redisCommand('127.0.0.1', port, ['SET', key, value]);
  if (reply !== 'OK') throw new Error(`SET ${key} on ${port}: ${String(reply)}`);
}

describe('the ioredis cluster driver while a slot moves', () => {
  it('follows a slot moved to another master: MOVED, null, the new owner answers, and reads there are tracked', async () => {
    const driver = await open();
    const other = await open();
    try {
      const tag = `{moves:${Date.now()}}`;
      const [key, probe] = [`${tag}:k`, `${tag}:probe`];
      await other.send([set(key, 'before')]);
      expect(text((await driver.send([get(key)]))[0])).toBe('before');
      const seen = listen(driver);
      const migration = await SlotMigration.plan(cluster, keySlot(key));
      expect(driver.serverOf(key)).toBe(`127.0.0.1:${migration.from}`);
      await migration.begin();
      // MIGRATE deletes the key on the old owner, which tracked our read: reported.
      expect(await migration.migrateRest()).toBe(1);
      await roundTrip(other, probe);
      expect(seen).toContain(key);
      await migration.finish();
      // The driver still routes the slot to its old owner, which answers MOVED to both.
      expect(driver.serverOf(key)).toBe(`127.0.0.1:${migration.from}`);
      seen.length = 0;
      const movedBefore = await errorReplies(migration.from, 'MOVED');
      const replies = await driver.send([set(key, 'moved'), get(key)]);
      expect(replies.map(text)).toEqual(['OK', 'moved']);
      expect(await errorReplies(migration.from, 'MOVED')).toBe(movedBefore + 2);
      expect(seen).toContain(null);
      expect(driver.serverOf(key)).toBe(`127.0.0.1:${migration.to}`);
      expect(await redisCommand('127.0.0.1', migration.to, ['GET', key])).toBe('moved');
      // The read went to the new owner through its pair: a change there is reported.
      seen.length = 0;
      await writeOn(migration.to, key, 'changed');
      await roundTrip(driver, probe);
      expect(seen).toEqual([key]);
      expect(text((await driver.send([get(key)]))[0])).toBe('changed');
      // The other driver learns of the move on its own send too.
      expect(text((await other.send([get(key)]))[0])).toBe('changed');
    } finally {
      await Promise.all([driver.close(), other.close()]);
    }
  });

  it('follows ASK for keys already on the target (ASKING and the command in one pipeline), tracked there, with no null', async () => {
    const driver = await open();
    try {
      const tag = `{ask:${Date.now()}}`;
      const [moved, kept, probe] = [`${tag}:moved`, `${tag}:kept`, `${tag}:probe`];
      await driver.send([set(moved, 'v-moved'), set(kept, 'v-kept')]);
      const migration = await SlotMigration.plan(cluster, keySlot(tag));
      await migration.begin();
      await migration.migrate([moved]);
      const seen = listen(driver);
      const asksBefore = await errorReplies(migration.from, 'ASK');
      const replies = await driver.send([get(kept), get(moved)]);
      expect(replies.map(text)).toEqual(['v-kept', 'v-moved']);
      expect(await errorReplies(migration.from, 'ASK')).toBe(asksBefore + 1);
      expect(seen).toEqual([]);
      // The moved key was read on the target, through the target's pair: a change there is reported.
      await migration.migrateRest();
      await migration.finish();
      await writeOn(migration.to, moved, 'changed');
      await driver.send([get(kept)]).catch(() => {}); // MOVED now: the driver reads the topology again
      await roundTrip(driver, probe);
      expect(seen.filter((key) => key !== null)).toContain(moved);
    } finally {
      await driver.close();
    }
  });

  it('sends a multi-key script again on TRYAGAIN (its keys split between the nodes) until they are on one', async () => {
    const driver = await open();
    try {
      const tag = `{split:${Date.now()}}`;
      const [first, second] = [`${tag}:1`, `${tag}:2`];
      await driver.send([set(first, 'one'), set(second, 'two')]);
      const migration = await SlotMigration.plan(cluster, keySlot(tag));
      await migration.begin();
      await migration.migrate([first]);
      const script = "return redis.call('MGET', KEYS[1], KEYS[2])";
      const tryAgainBefore = await errorReplies(migration.from, 'TRYAGAIN');
      const reply = driver.send([{ key: first, args: ['EVAL', script, '2', first, second] }]);
      // The source answers TRYAGAIN, again and again, while the keys are split…
      await waitUntil(
        async () => (await errorReplies(migration.from, 'TRYAGAIN')) >= tryAgainBefore + 2,
        'two TRYAGAIN',
      );
      // …and the script runs on the target once both are there.
      await migration.migrate([second]);
      expect(((await reply)[0] as Uint8Array[]).map(text)).toEqual(['one', 'two']);
      await migration.finish();
    } finally {
      await driver.close();
    }
  });

  it('R1: reports null when a call met MOVED and its send to the new owner then fails (the old owner tracked the slot)', async () => {
    const tag = `{moved-fails:${Date.now()}}`;
    const key = `${tag}:k`;
    const migration = await SlotMigration.plan(cluster, keySlot(key));
    // The new owner is reached at a port nobody listens on: its pair is never established.
    const unreachable = await freePort();
    const natMap = (address: string) =>
      address === `127.0.0.1:${migration.to}` ? { host: '127.0.0.1', port: unreachable } : null;
    const nodes = cluster.nodes.map(({ host, port }) => ({ host, port }));
    const client = new Cluster(nodes, { natMap, lazyConnect: true, slotsRefreshInterval: 60_000 });
    const driver = driverFor(client, { connectTimeoutMs: 300 }, { ownsClient: true });
    try {
      expect(text((await driver.send([set(key, 'before')]))[0])).toBe('OK');
      expect(text((await driver.send([get(key)]))[0])).toBe('before');
      await migration.begin();
      await migration.migrateRest();
      await migration.finish();
      const seen = listen(driver);
      const movedBefore = await errorReplies(migration.from, 'MOVED');
      await expect(driver.send([get(key)])).rejects.toThrow();
      expect(await errorReplies(migration.from, 'MOVED')).toBe(movedBefore + 1);
      expect(seen).toContain(null);
    } finally {
      await driver.close();
    }
  });
});
