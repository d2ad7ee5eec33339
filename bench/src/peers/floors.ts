import { LRUCache } from 'lru-cache';
import type { LocalFloor } from './peer.js';

/** lru-cache behind an awaited `async` get: the in-memory LRU floor. */
export function lruCacheFloor(): LocalFloor {
  const lru = new LRUCache<string, NonNullable<unknown>>({ max: 100_000 });
  return {
    name: 'lru-cache (awaited get)',
    get: async (key) => lru.get(key),
    set: (key, value) => void lru.set(key, value as NonNullable<unknown>),
    clear: () => lru.clear(),
  };
}

/** A bare `Map` behind an awaited `async` get: what any awaited in-memory lookup costs at all. */
export function mapFloor(): LocalFloor {
  const map = new Map<string, unknown>();
  return {
    name: 'Map (awaited get)',
    get: async (key) => map.get(key),
    set: (key, value) => void map.set(key, value),
    clear: () => map.clear(),
  };
}
