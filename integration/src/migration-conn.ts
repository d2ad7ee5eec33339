import { type Cache, Conn, newStringCache, type Options, StringCodec } from '@redcache/core';
import { type CountingDriver, countingDriver } from './counting-driver.js';
import { type RedirectTally, tallyRedirects } from './migration-redirects.js';
import type { RedisTarget } from './redis-target.js';
import { openTracking } from './tracking-client.js';

/** A Conn over a tracking cluster client, watched for what a slot migration does to it. */
export interface MigrationConn {
  readonly conn: Conn;
  readonly driver: CountingDriver;
  readonly cache: Cache<string, string>;
  /** The ASK, MOVED and TRYAGAIN replies its node clients received. */
  readonly redirects: RedirectTally;
  /** What its driver reported changed, in order: keys, and `null` for "everything". */
  readonly invalidations: Array<string | null>;
  close(): Promise<void>;
}

/** Opens a `MigrationConn` on the cluster `target`. */
export async function openMigrationConn(target: RedisTarget, options?: Options): Promise<MigrationConn> {
  const { tracking, driver } = await openTracking(target);
  if (tracking.kind !== 'cluster') throw new Error(`not a cluster target: ${target}`);
  const counting = countingDriver(driver);
  const invalidations: Array<string | null> = [];
  counting.onInvalidate((key) => invalidations.push(key));
  const redirects = tallyRedirects(tracking.client);
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
