/**
 * One demo process: its own Conn (its own Redis connection, near cache and single flight),
 * told by the parent when to stampede which keys. Forked through tsx by `process-fleet.ts`.
 */
import { serveParent } from '@redcache/fleet';
import { connect } from '@redcache/node-redis';
import { createClient } from 'redis';
import type { DemoChannel } from './protocol.js';
import { stampeder } from './stampede.js';
import { WaitLog } from './wait-log.js';

const url = process.argv[2]!;
const log = new WaitLog();
const conn = await connect({ url }, { logger: log });
/** Stands in for the database the loader reads; here it only counts the loader's calls, in Redis. */
const database = createClient({ url });
await database.connect();

// Answer the demo's requests; when it says close, close the Conn and the "database", then exit.
serveParent<DemoChannel>({
  handle: stampeder({
    conn,
    log,
    label: `pid ${process.pid}`,
    countLoaderCall: (key) => database.incr(`${key}:loader-calls`),
  }),
  close: () => Promise.allSettled([conn.close(), database.close()]),
});
