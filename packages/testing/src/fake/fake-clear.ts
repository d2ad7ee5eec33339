import type { ClearOptions, KeyCodec } from '@redcache/core';
import { assertClearable, checkPrefix, prefixedKeyCodec } from '@redcache/core/internal';
import type { FakeLog } from './fake-log.js';
import type { FakeOutage } from './fake-outage.js';
import type { FakeStore } from './fake-store.js';

/** Core's default `refreshLockPrefix`: what the fake's prefix is checked against. */
const REFRESH_LOCK_PREFIX = '__redcache:refresh:';

/**
 * The fake's prefix, checked as `newCache` checks `ViewOptions.prefix` (`InvalidOptionsError`),
 * and its key codec with the prefix in front, as the real view's.
 */
export function fakeKeys<K>(
  prefix: unknown,
  keyCodec: KeyCodec<K>,
): { prefix: string | undefined; keyCodec: KeyCodec<K> } {
  const checked = checkPrefix('createFakeCache', prefix, { refreshLockPrefix: REFRESH_LOCK_PREFIX });
  return { prefix: checked, keyCodec: prefixedKeyCodec(keyCodec, checked) };
}

/** What `fakeClear` works on: the fake's entries, its log, its outage. */
export interface FakeClearParts<K, V> {
  readonly store: FakeStore<K, V>;
  readonly log: FakeLog<K>;
  readonly outage: FakeOutage;
}

/**
 * `clear` on the fake: refused as the real view refuses it (no prefix: `TypeError`; an
 * aborted signal: its reason), `RedisUnavailableError` while `redisDown(true)`; else every
 * entry under the prefix goes (fallbacks too, as the real near cache drops them), in one
 * batch, which `onProgress` hears of when it removed any. Logs `{ op: 'clear', removed }`.
 * Resolves to how many live entries it removed.
 */
export async function fakeClear<K, V>(
  parts: FakeClearParts<K, V>,
  prefix: string | undefined,
  opts: ClearOptions | undefined,
): Promise<number> {
  const clearing = assertClearable(prefix, opts);
  if (parts.outage.down) {
    parts.log.push({ op: 'unavailable', by: 'clear', keys: [] });
    throw parts.outage.refusal('clear', clearing);
  }
  const removed = parts.store.deleteUnder(clearing);
  parts.log.push({ op: 'clear', removed });
  if (removed > 0) opts?.onProgress?.({ removed });
  return removed;
}
