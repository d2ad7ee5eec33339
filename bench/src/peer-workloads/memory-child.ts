/**
 * One memory-per-entry measurement, in a process of its own run with `--expose-gc` (forked
 * by memory.ts): argv contender, Redis URL, run prefix, entry count. Sends the retained
 * heap per entry (bytes) to its parent and exits.
 */
import { lruCacheFloor, mapFloor } from '../peers/floors.js';
import { openPeer, type RedisPeerName } from '../peers/open-peer.js';
import { FLOOR_KEYS, type PeerCache, peerKeys } from '../peers/peer.js';
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

/**
 * Entries stored before the baseline, in every contender alike: the code a cache compiles while
 * it fills (bytecode, optimized code, feedback: about 350 B per entry of 5,000 for redcache when
 * the warm-up was one key) and its first growth steps are one-off costs, not per entry.
 */
const WARM_ENTRIES = 500;

async function measure(): Promise<number> {
  const names = Array.from({ length: entries }, (_, i) => `mem:${i}`);
  const warmNames = Array.from({ length: WARM_ENTRIES }, (_, i) => `mem:warm:${i}`);
  if (contender === 'map' || contender === 'lru-cache') {
    const floor = contender === 'map' ? mapFloor() : lruCacheFloor();
    const keys = peerKeys(FLOOR_KEYS, names);
    for (const [i, key] of peerKeys(FLOOR_KEYS, warmNames).entries()) floor.set(key, kilobyteValue(-1 - i));
    const before = await settledHeap();
    for (const [i, key] of keys.entries()) floor.set(key, kilobyteValue(i));
    const after = await settledHeap();
    return (after - before) / entries;
  }
  const peer = await openPeer(contender as RedisPeerName, url, prefix, true);
  const keys = peerKeys(peer, names);
  try {
    // Warm entries first, so the connection's and the code's one-off allocations are in the baseline.
    await fill(peer, peerKeys(peer, warmNames), (i) => -1 - i);
    const before = await settledHeap();
    await fill(peer, keys, (i) => i);
    const after = await settledHeap();
    return (after - before) / entries;
  } finally {
    await peer.close();
  }
}

/** Loads `keys` 100 at a time (value `idOf(i)` for the i-th), then reads each once more. */
async function fill(peer: PeerCache, keys: readonly string[], idOf: (i: number) => number): Promise<void> {
  for (let start = 0; start < keys.length; start += 100) {
    await Promise.all(
      keys
        .slice(start, start + 100)
        .map((key, j) => peer.get(key, async () => kilobyteValue(idOf(start + j)))),
    );
  }
  // Read once more: a cache that keeps only what it has read (node-redis CSC) holds every entry now.
  for (const key of keys) await peer.get(key, neverLoads);
}

process.send!({ bytesPerEntry: await measure() }, () => process.exit(0));
