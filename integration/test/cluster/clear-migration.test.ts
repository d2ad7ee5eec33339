/**
 * `clear()` while a slot of its keys is being migrated between masters: the target lists the
 * keys it imported, but answers `MOVED` to an `UNLINK` sent to it directly (the slot is not
 * its own yet); clear sends that command again by key, through the cluster, which follows the
 * redirects. Every key goes, on both masters, and the migration then completes.
 */
import { keySlot, newStringCache, StringCodec } from '@redcache/core';
import { redisCommand, SlotMigration } from '@redcache/redis-harness';
import { expect, it } from 'vitest';
import { openMigrationConn } from '../../src/migration-conn.js';
import { keyPrefix } from '../../src/open-conn.js';
import { useOwnCluster } from '../../src/own-cluster.js';
import { scanKeys } from '../../src/scan-keys.js';

const prefix = keyPrefix('clear-migration');
const own = useOwnCluster();

it('removes every key of a slot half moved to another master, and of the other slots', async () => {
  const tag = '{clear-migration}';
  const moving = Array.from({ length: 40 }, (_, i) => `${tag}:k${i}`);
  const elsewhere = Array.from({ length: 200 }, (_, i) => `spread${i}`);
  const watched = await openMigrationConn(own.target);
  try {
    const view = newStringCache(watched.conn, StringCodec, { prefix });
    await view.forceSetMulti(new Map([...moving, ...elsewhere].map((key) => [key, 'v'])), 600_000);
    const migration = await SlotMigration.plan(own.cluster, keySlot(tag));
    await migration.begin();
    await migration.migrate(moving.slice(0, 25).map((key) => `${prefix}${key}`));
    // The target holds 25 keys of a slot it does not own yet: a command sent to it alone is MOVED.
    const direct = await redisCommand('127.0.0.1', migration.to, ['UNLINK', `${prefix}${moving[0]}`]);
    expect(direct).toBeInstanceOf(Error);
    expect((direct as Error).message).toMatch(/^MOVED /);

    expect(await view.clear()).toBe(moving.length + elsewhere.length);
    expect((await scanKeys(own.target, `${prefix}*`)).size).toBe(0);
    expect(await migration.keysLeft()).toEqual([]);
    await migration.finish();
    expect(await view.peek(moving[0]!, 60_000)).toEqual({ found: false });
  } finally {
    await watched.close();
  }
}, 60_000);
