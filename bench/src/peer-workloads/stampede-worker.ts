/**
 * A peer stampede worker: one process holding one instance of every Redis peer and of the
 * raw wake protocol (both modes). On request it asks the contender for its keys, fires
 * `callers` concurrent gets at the agreed instant with a loader that sleeps, and reports
 * when each loader ran and each caller got its value (and redcache's waits, the raw wakes).
 */
import { serveParent, sleep, sleepUntil, wallClockMs } from '@redcache/fleet';
import { openPeer, REDIS_PEERS, type RedisPeerName } from '../peers/open-peer.js';
import type { PeerCache } from '../peers/peer.js';
import { openRawWake, type RawWakeClient } from '../peers/raw-wake.js';
import { REDCACHE_EVENTS, REDCACHE_HEALTH } from '../peers/redcache-health.js';
import type {
  PeerStampedeChannel,
  PeerStampedeRequest,
  PeerStampedeResult,
  StampedeContender,
} from './stampede-protocol.js';

const [url, prefix] = process.argv.slice(2) as [string, string];
const contenders = new Map<StampedeContender, Pick<PeerCache, 'key' | 'get' | 'close'>>();
for (const name of Object.keys(REDIS_PEERS) as RedisPeerName[])
  contenders.set(name, await openPeer(name, url, prefix));
const raw = new Map<StampedeContender, RawWakeClient>();
for (const mode of ['push', 'pubsub'] as const) {
  const client = await openRawWake({ url, prefix: `${prefix}raw-${mode}:` }, mode);
  raw.set(`raw-${mode}`, client);
  contenders.set(`raw-${mode}`, client);
}

async function stampede(request: PeerStampedeRequest): Promise<PeerStampedeResult> {
  const peer = contenders.get(request.peer)!;
  const keys = request.names.map((name) => peer.key(name));
  const index = new Map(keys.map((key, i) => [key, i]));
  const loaderCalls = keys.map(() => 0);
  const loaderStartedAt: (number | null)[] = keys.map(() => null);
  const loadedAt: (number | null)[] = keys.map(() => null);
  const errors: string[] = [];
  const loaders: number[] = [];
  REDCACHE_EVENTS.take();
  raw.get(request.peer)?.takeWakes();
  await sleepUntil(request.startAt);
  const firedAt = wallClockMs();
  const cpu = process.cpuUsage();
  const calls = Promise.all(
    Array.from({ length: request.callers }, async (_, caller) => {
      const k = caller % keys.length;
      const key = keys[k]!;
      const want = `value-of-${request.names[k]}`;
      const load = async () => {
        loaderCalls[k]!++;
        loaders.push(caller);
        loaderStartedAt[k] ??= wallClockMs();
        await sleep(request.loaderMs);
        loadedAt[k] ??= wallClockMs();
        return want;
      };
      try {
        const got = await peer.get(key, load);
        if (got !== want) errors.push(`${request.peer} ${key}: wrong value ${String(got)}`);
      } catch (error) {
        errors.push(`${request.peer} ${key}: ${String(error)}`);
      }
      return wallClockMs();
    }),
  );
  const burstMs = wallClockMs() - firedAt;
  const doneAt = await calls;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  const waits = REDCACHE_EVENTS.take().flatMap((w) =>
    w.keys.flatMap((key) => {
      const k = index.get(key);
      return k === undefined ? [] : [{ key: k, reason: w.reason, at: w.at, waitedMs: w.waitedMs }];
    }),
  );
  const wakes = raw.get(request.peer)?.takeWakes() ?? [];
  return {
    firedAt,
    burstMs,
    cpuMs,
    loaderCalls,
    loaderStartedAt,
    loadedAt,
    doneAt,
    loaders,
    errors,
    waits,
    wakes: wakes.map((w) => ({ ...w, key: index.get(w.key)! })),
    health: REDCACHE_HEALTH.snapshot(),
  };
}

serveParent<PeerStampedeChannel>({
  handle: stampede,
  close: async () => {
    for (const peer of contenders.values()) await peer.close();
  },
});
