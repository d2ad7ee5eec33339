/**
 * The cluster driver while the cluster grows (own cluster: 3 masters, no replicas): a new
 * master joins (`CLUSTER MEET`) serving no slot, so `CLUSTER SLOTS` does not list it, and a
 * slot is migrated to it step by step. Each test joins a master of its own.
 */
import { ClosedError, keySlot, type RedisCommand, type RedisReply } from '@redcache/core';
import {
  freePort,
  type RedisCluster,
  type RedisServer,
  redisCommand,
  SlotMigration,
  startRedisCluster,
} from '@redcache/redis-harness';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { errorReplies, joinEmptyMaster, openClusterDriver } from '../test-support/cluster-fixture.js';

let cluster: RedisCluster;
const joined: RedisServer[] = [];
beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3, replicasPerMaster: 0 });
}, 60_000);
afterAll(async () => {
  await Promise.all(joined.map((server) => server.stop()));
  await cluster?.stop();
});

const get = (key: string): RedisCommand => ({ key, args: ['GET', key] });
const set = (key: string, value: string): RedisCommand => ({ key, args: ['SET', key, value] });
const text = (reply: RedisReply | Error | undefined): unknown =>
  reply instanceof Uint8Array
    ? Buffer.from(reply).toString()
    : reply instanceof Error
      ? `Error: ${reply.message}`
      : reply;

async function join(): Promise<RedisServer> {
  const server = await joinEmptyMaster(cluster);
  joined.push(server);
  return server;
}

it('D5: follows ASK to a new master that serves no slot yet (no pair for it in the topology): the key is read there, tracked', async () => {
  const target = await join();
  const driver = await openClusterDriver(cluster, { slotsRefreshInterval: 60_000 });
  try {
    const tag = `{scale-out:${Date.now()}}`;
    const [key, probe] = [`${tag}:k`, `${tag}:probe`];
    expect(text((await driver.send([set(key, 'v')]))[0])).toBe('OK');
    const migration = await SlotMigration.plan(cluster, keySlot(key), target.port);
    await migration.begin();
    await migration.migrate([key]);
    const seen: Array<string | null> = [];
    driver.onInvalidate((changed) => seen.push(changed));
    const asksBefore = await errorReplies(migration.from, 'ASK');
    expect(text((await driver.send([get(key)]))[0])).toBe('v');
    expect(await errorReplies(migration.from, 'ASK')).toBe(asksBefore + 1);
    // The read was tracked on the new master: a change there is reported once the slot is its own.
    await migration.finish();
    expect(await redisCommand('127.0.0.1', target.port, ['SET', key, 'changed'])).toBe('OK');
    await driver.send([get(probe)]); // MOVED (the driver still routes the slot to the source), then fenced there
    expect(seen).toContain(key);
    expect(text((await driver.send([get(key)]))[0])).toBe('changed');
    expect(driver.serverOf(key)).toBe(`127.0.0.1:${target.port}`);
  } finally {
    await driver.close();
  }
}, 30_000);

it("D5: retires the pair it opened for an ASK target at the next read of the topology that finds the master serving nothing still, with null (what it tracked won't be reported)", async () => {
  const target = await join();
  const driver = await openClusterDriver(cluster, { slotsRefreshInterval: 60_000 });
  try {
    const key = `{scale-out-retire:${Date.now()}}:k`;
    expect(text((await driver.send([set(key, 'v')]))[0])).toBe('OK');
    const migration = await SlotMigration.plan(cluster, keySlot(key), target.port);
    await migration.begin();
    await migration.migrate([key]);
    const address = `127.0.0.1:${target.port}`;
    expect(driver.masterConnections().map((master) => master.address)).not.toContain(address);
    expect(text((await driver.send([get(key)]))[0])).toBe('v');
    expect(driver.masterConnections().map((master) => master.address)).toContain(address);
    const seen: Array<string | null> = [];
    driver.onInvalidate((changed) => seen.push(changed));
    // A slot of another master moved: the MOVED it meets reads the topology again.
    const other = `{scale-out-other:${Date.now()}}:k`;
    await driver.send([set(other, 'v')]);
    const elsewhere = await SlotMigration.plan(cluster, keySlot(other));
    await elsewhere.begin();
    await elsewhere.migrateRest();
    await elsewhere.finish();
    expect(text((await driver.send([get(other)]))[0])).toBe('v');
    expect(driver.masterConnections().map((master) => master.address)).not.toContain(address);
    expect(seen).toContain(null);
  } finally {
    await driver.close();
  }
}, 30_000);

it('R5: a call whose ASK target is retired under it (its pair closed) is not failed with a bare ClosedError naming no server', async () => {
  const target = await join();
  // The new master is reached at a port nobody listens on: its pair waits, and the next read
  // of the topology (every 300 ms) retires it, the master serving nothing still.
  const unreachable = await freePort();
  const natMap = (address: string) =>
    address === `127.0.0.1:${target.port}` ? { host: '127.0.0.1', port: unreachable } : null;
  const driver = await openClusterDriver(cluster, { natMap, slotsRefreshInterval: 300 });
  try {
    const key = `{scale-out-gone:${Date.now()}}:k`;
    expect(text((await driver.send([set(key, 'v')]))[0])).toBe('OK');
    const migration = await SlotMigration.plan(cluster, keySlot(key), target.port);
    await migration.begin();
    await migration.migrate([key]);
    const outcome = await driver.send([get(key)]).then(
      ([reply]) => reply,
      (error: unknown) => error,
    );
    expect(outcome).toBeInstanceOf(Error);
    expect(outcome).not.toBeInstanceOf(ClosedError);
    expect((outcome as Error).message).toContain(String(target.port));
  } finally {
    await driver.close();
  }
}, 30_000);
