/**
 * One demo process: its own Conn (its own Redis connection, near cache and single flight),
 * told by the parent when to stampede which keys. Forked through tsx by `main.ts`.
 */
import { JSONCodec, newStringCache } from '@redcache/core';
import { serveParent, sleep, sleepUntil } from '@redcache/fleet';
import { connect } from '@redcache/node-redis';
import { createClient } from 'redis';
import type { DemoChannel, KeyOutcome, StampedeRequest } from './protocol.js';
import { WaitLog } from './wait-log.js';

interface Product {
  readonly key: string;
  /** The pid of the process whose loader produced this value. */
  readonly loadedBy: number;
}

const url = process.argv[2]!;
const log = new WaitLog();
const conn = await connect({ url }, { logger: log });
const products = newStringCache(conn, JSONCodec<Product>());
/** Stands in for the database the loader reads; here it only counts the loader's calls. */
const database = createClient({ url });
await database.connect();

/** The expensive load: counts itself in Redis (so every process' calls add up), then takes its time. */
async function loadProduct(key: string, loaderMs: number): Promise<Product> {
  await database.incr(`${key}:loader-calls`);
  await sleep(loaderMs);
  return { key, loadedBy: process.pid };
}

async function stampedeKey(key: string, request: StampedeRequest): Promise<KeyOutcome> {
  let ranLoader = 0;
  const loader = async (k: string) => {
    ranLoader++;
    return loadProduct(k, request.loaderMs);
  };
  const settled = await Promise.allSettled(
    Array.from({ length: request.callers }, () => products.get(key, request.ttlMs, loader)),
  );
  const values = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const keyLog = log.of(key);
  return {
    key,
    callers: request.callers,
    served: values.filter((value) => value.key === key).length,
    errors: settled.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : [])),
    ranLoader,
    flights: new Set(values).size,
    lockAttempts: keyLog.lockAttempts,
    locksAcquired: keyLog.locksAcquired,
    waits: { ...keyLog.waits },
    lastWake: keyLog.lastWake,
    loadedBy: values[0]?.loadedBy ?? null,
  };
}

/** Every process is told the same start instant: its callers for every key fire together then. */
async function stampede(request: StampedeRequest): Promise<KeyOutcome[]> {
  await sleepUntil(request.startAt);
  return Promise.all(request.keys.map((key) => stampedeKey(key, request)));
}

// Answer the demo's requests; when it says close, close the Conn and the "database", then exit.
serveParent<DemoChannel>({
  handle: stampede,
  close: () => Promise.allSettled([conn.close(), database.close()]),
});
