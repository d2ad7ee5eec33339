import { type Cache, Conn, newStringCache, type Options, StringCodec } from '@redcache/core';
import { type CountingDriver, countingDriver } from './counting-driver.js';
import { type RedirectTally, tallyRedirects } from './migration-redirects.js';
import { tallyIoredisRedirects } from './migration-redirects-ioredis.js';
import type { RedisTarget } from './redis-target.js';
import { openTracking } from './tracking-client.js';

/** A Conn over a tracking cluster client, watched for what a slot migration does to it. */
export interface MigrationConn {
  readonly conn: Conn;
  readonly driver: CountingDriver;
  readonly cache: Cache<string, string>;
  /** The ASK, MOVED and TRYAGAIN replies its node clients (or ioredis pairs) received. */
  readonly redirects: RedirectTally;
  /** What its driver reported changed, in order: keys, and `null` for "everything". */
  readonly invalidations: Array<string | null>;
  close(): Promise<void>;
}

/**
 * Opens a `MigrationConn` on the cluster `target`, with the driver of this process's tests:
 * a node-redis cluster client, whose redirects node-redis's trace reports, or an
 * `@redcache/ioredis` cluster driver, whose redirects ioredis's trace reports (see
 * migration-redirects-ioredis.ts).
 */
export async function openMigrationConn(target: RedisTarget, options?: Options): Promise<MigrationConn> {
  const { tracking, driver } = await openTracking(target);
  const watched =
    tracking.kind === 'cluster'
      ? { driver, redirects: tallyRedirects(tracking.client) }
      : tracking.kind === 'ioredis' && tracking.client.isCluster
        ? tallyIoredisRedirects(driver)
        : undefined;
  if (watched === undefined) throw new Error(`not a cluster target: ${target}`);
  const counting = countingDriver(watched.driver);
  const invalidations: Array<string | null> = [];
  counting.onInvalidate((key) => invalidations.push(key));
  const { redirects } = watched;
  const conn = Conn.open(counting, options);
  return {
    conn,
    driver: counting,
    cache: newStringCache(conn, StringCodec),
    redirects,
    invalidations,
    close: async () => {
      redirects.stop();
      await conn.close();
    },
  };
}
