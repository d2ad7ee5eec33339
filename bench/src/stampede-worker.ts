/**
 * A stampede worker: one process, one Conn. On request it fires `callers` concurrent gets
 * of one cold key at an agreed wall-clock instant, with a loader that sleeps, and reports
 * when each caller got its value. Forked through tsx by `stampede.ts`.
 */
import { newStringCache, StringCodec } from '@redcache/core';
import { EventTally, serveParent, sleep, sleepUntil, wallClockMs } from '@redcache/fleet';
import { connect } from '@redcache/node-redis';
import type { StampedeChannel, StampedeRequest, StampedeResult } from './stampede-protocol.js';

const url = process.argv[2]!;
const tally = new EventTally();
const conn = await connect({ url }, { logger: tally });
const cache = newStringCache(conn, StringCodec);

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
  await sleepUntil(request.startAt);
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
    pid: process.pid,
    key,
    loaderCalls,
    loadedAt,
    followerResolvedAt: outcomes.filter((o) => !o.ranLoader && o.error === undefined).map((o) => o.at),
    errors: outcomes.flatMap((o) => (o.error === undefined ? [] : [o.error])),
    wakes: { ...events.wakes },
  };
}

serveParent<StampedeChannel>({ handle: stampede, close: () => conn.close() });
