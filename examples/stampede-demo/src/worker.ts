/**
 * One demo process: its own Conn (its own Redis connection, near cache and single flight),
 * told by the parent when to stampede which keys. Run through tsx by `spawn-worker.ts`.
 */
import { JSONCodec, newStringCache } from '@redcache/core';
import { connect } from '@redcache/node-redis';
import { createClient } from 'redis';
import type { KeyOutcome, StampedeRequest, WorkerEvent, WorkerRequest } from './protocol.js';
import { sleep, wallClockMs } from './time.js';
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

async function stampede(request: StampedeRequest): Promise<WorkerEvent> {
  await sleep(request.startAt - wallClockMs());
  const outcomes = await Promise.all(request.keys.map((key) => stampedeKey(key, request)));
  return { type: 'result', pid: process.pid, outcomes };
}

const send = (event: WorkerEvent) => process.send?.(event);

process.on('message', (request: WorkerRequest) => {
  if (request.type === 'close') {
    void Promise.allSettled([conn.close(), database.close()]).then(() => {
      send({ type: 'closed' });
      process.exit(0);
    });
    return;
  }
  stampede(request).then(send, (error: unknown) => send({ type: 'error', message: String(error) }));
});
// The demo went away (Ctrl-C, a crash): do not linger.
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
