/**
 * A peer stampede worker: one process holding one instance of every Redis peer. On request
 * it fires `callers` concurrent gets over the request's keys at the agreed instant, with a
 * loader that sleeps, and reports loader calls and each caller's latency.
 */
import { serveParent, sleep, sleepUntil, wallClockMs } from '@redcache/fleet';
import { openPeer, REDIS_PEERS, type RedisPeerName } from '../peers/open-peer.js';
import type { PeerCache } from '../peers/peer.js';
import type { PeerStampedeChannel, PeerStampedeRequest, PeerStampedeResult } from './stampede-protocol.js';

const [url, prefix] = process.argv.slice(2) as [string, string];
const peers = new Map<RedisPeerName, PeerCache>();
for (const name of Object.keys(REDIS_PEERS) as RedisPeerName[])
  peers.set(name, await openPeer(name, url, prefix));

async function stampede(request: PeerStampedeRequest): Promise<PeerStampedeResult> {
  const peer = peers.get(request.peer)!;
  const loaderCalls = request.keys.map(() => 0);
  const errors: string[] = [];
  await sleepUntil(request.startAt);
  const latenciesMs = await Promise.all(
    Array.from({ length: request.callers }, async (_, caller) => {
      const index = caller % request.keys.length;
      const key = request.keys[index]!;
      const load = async () => {
        loaderCalls[index]!++;
        await sleep(request.loaderMs);
        return `value-of-${key}`;
      };
      try {
        const got = await peer.get(key, load);
        if (got !== `value-of-${key}`) errors.push(`${request.peer} ${key}: wrong value ${String(got)}`);
      } catch (error) {
        errors.push(`${request.peer} ${key}: ${String(error)}`);
      }
      return wallClockMs() - request.startAt;
    }),
  );
  return { loaderCalls, latenciesMs, errors };
}

serveParent<PeerStampedeChannel>({
  handle: stampede,
  close: async () => {
    for (const peer of peers.values()) await peer.close();
  },
});
