import { type Conn, newStringCache, StringCodec } from '@redcache/core';
import type { Contender } from './rounds.js';

/** Cold keys expire on their own soon after the run, should cleanup be cut short. */
const COLD_TTL_MS = 60_000;

/**
 * Sequential `get`s of keys nobody has read: each one a full miss (the tracked
 * read-or-lock script, a trivial loader, CAS of the value). `usedKeys()` lists the keys written, for cleanup.
 */
export function coldMissContender(
  conn: Conn,
  prefix: string,
): { contender: Contender; usedKeys(): string[] } {
  const cache = newStringCache(conn, StringCodec);
  let next = 0;
  const loader = async (): Promise<string> => 'cold';
  return {
    contender: {
      name: 'redcache cold miss',
      batch: 1,
      operation: () => cache.get(`${prefix}cold:${next++}`, COLD_TTL_MS, loader),
    },
    usedKeys: () => Array.from({ length: next }, (_, i) => `${prefix}cold:${i}`),
  };
}
