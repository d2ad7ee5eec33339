import { keySlot, type RedisCommand } from '@redcache/core';
import { type RedisCluster, redisCommand, SlotMigration } from '@redcache/redis-harness';
import type { RedisClusterType } from '@redis/client';
import { describe, expect, it } from 'vitest';
import { createNodeRedisDriver } from '../create-node-redis-driver.js';
import { errorReplies, ownerPort, trackingCluster, useOwnCluster } from '../test-support/cluster.js';
import { testPrefix, text, waitFor } from '../test-support/redis.js';

const prefix = testPrefix('cluster-moves');
const get = (key: string): RedisCommand => ({ key, args: ['GET', key] });

describe('the cluster driver while a slot moves (own cluster: 3 masters, 3 replicas)', () => {
  let redis: RedisCluster;
  let writer: RedisClusterType;
  useOwnCluster((cluster, client) => {
    redis = cluster;
    writer = client;
  });

  it('follows a slot that moved to another master: null, then the reply of the new owner', async () => {
    const client = await trackingCluster(redis);
    const driver = createNodeRedisDriver(client);
    const seen: Array<string | null> = [];
    const tag = `{${prefix}moving}`;
    const key = `${tag}:k`;
    await driver.send([get(key)]);
    driver.onInvalidate((changed) => seen.push(changed));
    const migration = await SlotMigration.plan(redis, keySlot(key));
    const { from, to } = migration;
    expect(ownerPort(client, key)).toBe(from);
    await migration.begin();
    expect(await migration.keysLeft()).toEqual([]);
    await migration.finish();
    // node-redis still routes the slot to its old owner, which answers MOVED.
    expect(ownerPort(client, key)).toBe(from);
    const movedBefore = await errorReplies(from, 'MOVED');
    const replies = await driver.send([{ key, args: ['SET', key, 'moved'] }, get(key)]);
    expect(replies[0]).toBe('OK');
    expect(text(replies[1])).toBe('moved');
    expect(await errorReplies(from, 'MOVED')).toBeGreaterThanOrEqual(movedBefore + 2);
    expect(seen).toContain(null);
    expect(ownerPort(client, key)).toBe(to);
    expect(await redisCommand('127.0.0.1', to, ['GET', key])).toBe('moved');
    // Later calls go straight to the new owner.
    seen.length = 0;
    expect(text((await driver.send([get(key)]))[0])).toBe('moved');
    expect(seen).toEqual([]);
    await driver.close();
  });

  describe('while a slot is being migrated', () => {
    const pair = "return redis.call('MGET', KEYS[1], KEYS[2])";
    const evalPair = (a: string, b: string): RedisCommand => ({ key: a, args: ['EVAL', pair, '2', a, b] });

    /** A driver, a slot (of `tag`) about to move with `keys` set on its master, and the nulls the driver reports. */
    async function migrating(tag: string, keys: readonly string[]) {
      const driver = createNodeRedisDriver(await trackingCluster(redis));
      for (const key of keys) await writer.set(key, `v-${key}`);
      const migration = await SlotMigration.plan(redis, keySlot(tag));
      const nulls: null[] = [];
      driver.onInvalidate((key) => {
        if (key === null) nulls.push(key);
      });
      await migration.begin();
      return { driver, migration, nulls };
    }

    it('follows ASK for the keys already moved, within one pipeline, and reports no null', async () => {
      const tag = `{${prefix}ask}`;
      const [moved, kept, fresh] = [`${tag}:moved`, `${tag}:kept`, `${tag}:fresh`];
      const { driver, migration, nulls } = await migrating(tag, [moved, kept]);
      await migration.migrate([moved]);
      const asksBefore = await errorReplies(migration.from, 'ASK');
      const replies = await driver.send([
        get(kept),
        get(moved),
        { key: fresh, args: ['SET', fresh, 'new', 'NX', 'GET'] },
        { key: moved, args: ['EVAL', "return redis.call('GET', KEYS[1])", '1', moved] },
        get(fresh),
      ]);
      expect(replies.map(text)).toEqual([`v-${kept}`, `v-${moved}`, 'null', `v-${moved}`, 'new']);
      // Each moved or new key: the driver's own send, then the cluster's.
      expect(await errorReplies(migration.from, 'ASK')).toBe(asksBefore + 8);
      // The new key was written on the target, and nothing was lost: no null.
      expect(String(await redisCommand('127.0.0.1', migration.from, ['GET', fresh]))).toMatch(/ASK /);
      expect(nulls).toEqual([]);
      await migration.migrateRest();
      await migration.finish();
      await driver.close();
    });

    it('sends a multi-key script again on TRYAGAIN (its keys on both nodes) until they are on one', async () => {
      const tag = `{${prefix}split}`;
      const [first, second] = [`${tag}:1`, `${tag}:2`];
      const { driver, migration, nulls } = await migrating(tag, [first, second]);
      await migration.migrate([first]);
      const tryAgainBefore = await errorReplies(migration.from, 'TRYAGAIN');
      const reply = driver.send([evalPair(first, second)]);
      // The source answers TRYAGAIN, again and again, while the keys are split…
      await waitFor(async () => (await errorReplies(migration.from, 'TRYAGAIN')) >= tryAgainBefore + 2);
      // …and the script runs on the target once both are there.
      await migration.migrate([second]);
      expect((await reply)[0]).toEqual([`v-${first}`, `v-${second}`].map((value) => Buffer.from(value)));
      expect(nulls).toEqual([]);
      await migration.finish();
      await driver.close();
    });

    it('sends a multi-key script of keys on neither node again on TRYAGAIN, until the slot has moved', async () => {
      const tag = `{${prefix}cold}`;
      const [first, second] = [`${tag}:1`, `${tag}:2`];
      const { driver, migration } = await migrating(tag, []);
      const tryAgainBefore = await errorReplies(migration.to, 'TRYAGAIN');
      const reply = driver.send([evalPair(first, second)]);
      // The source answers ASK (it has neither key), the target TRYAGAIN (it has not both).
      await waitFor(async () => (await errorReplies(migration.to, 'TRYAGAIN')) >= tryAgainBefore + 2);
      await migration.finish();
      expect(await reply).toEqual([[null, null]]);
      await driver.close();
    });
  });
});
