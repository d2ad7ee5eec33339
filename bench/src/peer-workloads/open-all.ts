import { openPeer, type RedisPeerName } from '../peers/open-peer.js';
import type { PeerCache } from '../peers/peer.js';
import { openRawTwoTrip } from '../peers/raw-two-trip.js';

/** The Redis peers every in-process workload runs, in report order. */
export const PEER_ORDER: readonly RedisPeerName[] = [
  'redcache',
  'redcache-ioredis',
  'bentocache',
  'cache-manager',
  'node-redis-csc',
];

/** Opens every Redis peer (and, with `raw`, the raw 2-RTT yardstick) under `prefix`. */
export async function openAllPeers(url: string, prefix: string, raw = false): Promise<PeerCache[]> {
  const peers: PeerCache[] = [];
  for (const name of PEER_ORDER) peers.push(await openPeer(name, url, prefix));
  if (raw) peers.push(await openRawTwoTrip({ url, prefix: `${prefix}raw:` }));
  return peers;
}

export async function closeAll(peers: readonly PeerCache[]): Promise<void> {
  for (const peer of peers) await peer.close();
}
