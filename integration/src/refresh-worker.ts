/**
 * A child process whose refresh-ahead loader never settles (see spawn-refresh-worker.ts): a
 * test kills it mid-refresh, its refresh lock still in Redis, and sees how long that lock
 * keeps other processes from refreshing the key.
 */
import { Conn, newStringCache, StringCodec } from '@redcache/core';
import { notifyParent, serveParent } from '@redcache/fleet';
import type { RefreshWorkerChannel, RefreshWorkerOptions } from './spawn-refresh-worker.js';
import { openTracking } from './tracking-client.js';

const [target, optionsJson] = process.argv.slice(2);
const options = JSON.parse(optionsJson!) as RefreshWorkerOptions;
const conn = Conn.open((await openTracking(target!)).driver, {
  ...options,
  refreshAfterFraction: 0.5,
  refreshBeta: 0,
});
const cache = newStringCache(conn, StringCodec);

serveParent<RefreshWorkerChannel>({
  async handle(request) {
    const value = await cache.get(request.key, request.ttlMs, () => {
      notifyParent<RefreshWorkerChannel>({ type: 'refreshing', key: request.key });
      return new Promise<string>(() => {});
    });
    return { type: 'served', value };
  },
  close: () => conn.close(),
});
