/**
 * One memory-per-entry measurement, in a process of its own run with `--expose-gc` (forked
 * by memory.ts): argv contender, Redis URL, run prefix, entry count. Sends the retained
 * heap per entry (bytes) to its parent and exits.
 */
import { lruCacheFloor, mapFloor } from '../peers/floors.js';
import { openPeer, type RedisPeerName } from '../peers/open-peer.js';
import { FLOOR_KEYS, peerKeys } from '../peers/peer.js';
import { neverLoads } from './context.js';
import { kilobyteValue } from './memory-value.js';

const [contender, url, prefix, count] = process.argv.slice(2) as [string, string, string, string];
const entries = Number(count);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('bench memory child: run with --expose-gc');

/**
 * Retained memory after full collections (each followed by a turn, for finalizers), the least
 * of five: the JS heap plus the backing stores of ArrayBuffers (a Uint8Array's bytes live
 * outside `heapUsed`; counting only the heap hid the stored bytes a near cache keeps).
 */
async function settledHeap(): Promise<number> {
  let least = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 5; i++) {
    gc!();
    await new Promise((resolve) => setImmediate(resolve));
    const usage = process.memoryUsage();
    least = Math.min(least, usage.heapUsed + usage.arrayBuffers);
  }
  return least;
}

async function measure(): Promise<number> {
  const names = Array.from({ length: entries }, (_, i) => `mem:${i}`);
  if (contender === 'map' || contender === 'lru-cache') {
    const floor = contender === 'map' ? mapFloor() : lruCacheFloor();
    const keys = peerKeys(FLOOR_KEYS, names);
    const before = await settledHeap();
    for (const [i, key] of keys.entries()) floor.set(key, kilobyteValue(i));
    const after = await settledHeap();
    return (after - before) / entries;
  }
  const peer = await openPeer(contender as RedisPeerName, url, prefix, true);
  const keys = peerKeys(peer, names);
  try {
    // One key first, so the connection's and the code's one-off allocations are in the baseline.
    await peer.get(peer.key('mem:warm'), async () => kilobyteValue(-1));
    const before = await settledHeap();
    for (let start = 0; start < entries; start += 100) {
      await Promise.all(
        keys.slice(start, start + 100).map((key, j) => peer.get(key, async () => kilobyteValue(start + j))),
      );
    }
    // Read once more: a cache that keeps only what it has read (node-redis CSC) holds every entry now.
    for (const key of keys) await peer.get(key, neverLoads);
    const after = await settledHeap();
    return (after - before) / entries;
  } finally {
    await peer.close();
  }
}

process.send!({ bytesPerEntry: await measure() }, () => process.exit(0));
