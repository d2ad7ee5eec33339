/**
 * What one participant of the demo does: its callers stampede the request's keys through its
 * own view, and it reports how each caller got its value. A forked worker (worker.ts) and each
 * in-process Conn on the memory Redis (memory-fleet.ts) run this same code.
 */
import { type Cache, type Conn, JSONCodec, newStringCache } from '@redcache/core';
import { sleep, sleepUntil } from '@redcache/fleet';
import type { KeyOutcome, StampedeRequest } from './protocol.js';
import type { WaitLog } from './wait-log.js';

export interface Product {
  readonly key: string;
  /** Who produced this value: `pid 1234` (a worker process) or `Conn 2` (in one process). */
  readonly loadedBy: string;
}

export interface Participant {
  /** This participant's Conn, opened with `log` as its logger. */
  readonly conn: Conn;
  readonly log: WaitLog;
  /** How the participant is named in the output: `pid 1234`, `Conn 2`. */
  readonly label: string;
  /** Counts one loader call for `key` where every participant's calls add up. */
  countLoaderCall(key: string): Promise<unknown>;
}

/** The stampede of one participant: at `request.startAt`, every key's callers at once. */
export function stampeder(participant: Participant): (request: StampedeRequest) => Promise<KeyOutcome[]> {
  const products = newStringCache(participant.conn, JSONCodec<Product>());
  return async (request) => {
    await sleepUntil(request.startAt);
    return Promise.all(request.keys.map((key) => stampedeKey(products, participant, key, request)));
  };
}

async function stampedeKey(
  products: Cache<string, Product>,
  participant: Participant,
  key: string,
  request: StampedeRequest,
): Promise<KeyOutcome> {
  let ranLoader = 0;
  // The expensive load, standing in for a database query: it counts itself, then takes its time.
  const loader = async (k: string): Promise<Product> => {
    ranLoader++;
    await participant.countLoaderCall(k);
    await sleep(request.loaderMs);
    return { key: k, loadedBy: participant.label };
  };
  const settled = await Promise.allSettled(
    Array.from({ length: request.callers }, () => products.get(key, request.ttlMs, loader)),
  );
  const values = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const keyLog = participant.log.of(key);
  return {
    key,
    callers: request.callers,
    served: values.filter((value) => value.key === key).length,
    errors: settled.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : [])),
    ranLoader,
    flights: new Set(values).size,
    waits: { ...keyLog.waits },
    lastWake: keyLog.lastWake,
    loadedBy: values[0]?.loadedBy ?? null,
  };
}
