import { type Conn, newStringCache, StringCodec } from '@redcache/core';
import { PRIMED_TTL_MS, PRIMED_VALUE } from './bench-keys.js';
import type { Contender } from './rounds.js';

export const MULTI_KEYS = 10;

const neverCalled = async (): Promise<Map<string, string>> => {
  throw new Error('bench: a primed key reached the getMulti loader');
};

/** `getMulti` of `MULTI_KEYS` primed keys per call: every key a near-cache hit. Returns its keys. */
export async function getMultiContender(
  conn: Conn,
  prefix: string,
): Promise<{ contender: Contender; keys: string[] }> {
  const cache = newStringCache(conn, StringCodec);
  const keys = Array.from({ length: MULTI_KEYS }, (_, i) => `${prefix}multi:${i}`);
  await cache.getMulti(keys, PRIMED_TTL_MS, async (wanted) => new Map(wanted.map((k) => [k, PRIMED_VALUE])));
  return {
    contender: {
      name: `redcache getMulti (${MULTI_KEYS} keys)`,
      operation: () => cache.getMulti(keys, PRIMED_TTL_MS, neverCalled),
    },
    keys,
  };
}
