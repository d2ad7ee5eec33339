/**
 * A stampede worker: one process, one Conn. On request it fires `callers` concurrent gets
 * of one cold key at an agreed wall-clock instant, with a loader that sleeps, and reports
 * when each caller got its value. Run through tsx by `spawn-stampede-worker.ts`.
 */
import { newStringCache, StringCodec } from '@redcache/core';
import { connect } from '@redcache/node-redis';
import { KeyTally } from './key-tally.js';
import type { StampedeRequest, StampedeResult, WorkerEvent, WorkerRequest } from './stampede-protocol.js';
import { wallClockMs } from './stats.js';

const url = process.argv[2]!;
const tally = new KeyTally();
const conn = await connect({ url }, { logger: tally });
const cache = newStringCache(conn, StringCodec);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));
const send = (event: WorkerEvent) => process.send?.(event);

async function stampede(request: StampedeRequest): Promise<StampedeResult> {
  const { key } = request;
  const value = `value-of-${key}`;
  let loaderCalls = 0;
  let loadedAt: number | null = null;
  const loader = async (): Promise<string> => {
    loaderCalls++;
    await sleep(request.loaderMs);
    loadedAt = wallClockMs();
    return value;
  };
  await sleep(request.startAt - wallClockMs());
  const outcomes = await Promise.all(
    Array.from({ length: request.callers }, async () => {
      let ranLoader = false;
      const ownLoader = async () => {
        ranLoader = true;
        return loader();
      };
      try {
        const got = await cache.get(key, request.ttlMs, ownLoader);
        const at = wallClockMs();
        return { ranLoader, at, error: got === value ? undefined : `wrong value ${got}` };
      } catch (error) {
        return { ranLoader, at: wallClockMs(), error: String(error) };
      }
    }),
  );
  const events = tally.of(key);
  return {
    type: 'result',
    pid: process.pid,
    key,
    loaderCalls,
    loadedAt,
    followerResolvedAt: outcomes.filter((o) => !o.ranLoader && o.error === undefined).map((o) => o.at),
    errors: outcomes.flatMap((o) => (o.error === undefined ? [] : [o.error])),
    lockAttempts: events.lockAttempts,
    locksAcquired: events.locksAcquired,
    wakes: { ...events.wakes },
  };
}

process.on('message', (request: WorkerRequest) => {
  if (request.type === 'close') {
    void conn.close().finally(() => {
      send({ type: 'closed' });
      process.exit(0);
    });
    return;
  }
  stampede(request).then(send, (error: unknown) => send({ type: 'error', message: String(error) }));
});
// The bench went away without saying goodbye: do not linger.
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
