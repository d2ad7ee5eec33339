import type { CallOptions, Duration, KeyCodec } from '@redcache/core';
import { encodeKey, encodeKeys, encodeMapKeys, throwBatch, toTtlMs } from '@redcache/core/internal';
import type { FakeOp } from './fake-call.js';
import type { FakeClearParts } from './fake-clear.js';

/** What the fake's writes without a loader work on: its key codec, entries, log and outage. */
export interface FakeWriteParts<K, V> extends FakeClearParts<K, V> {
  readonly keyCodec: KeyCodec<K>;
}

/** While Redis is down: logs the refusal and throws `RedisUnavailableError` naming `op` and the keys. */
export function refuseIfDown<K, V>(parts: FakeWriteParts<K, V>, op: FakeOp, keys: readonly K[]): void {
  if (!parts.outage.down) return;
  parts.log.push({ op: 'unavailable', by: op, keys });
  throw parts.outage.refusal(op, op.endsWith('Multi') ? keys : keys[0]);
}

/** `forceSet` on the fake: checked as the real view checks it, then stored over anything. */
export function fakeForceSet<K, V>(
  parts: FakeWriteParts<K, V>,
  key: K,
  ttl: Duration,
  value: V,
  opts: CallOptions | undefined,
): void {
  const ms = toTtlMs(ttl, 'forceSet', key);
  const id = encodeKey(parts.keyCodec, key, 'forceSet');
  const encoded = parts.store.encode('forceSet', key, value);
  opts?.signal?.throwIfAborted();
  refuseIfDown(parts, 'forceSet', [key]);
  parts.log.push({ op: 'forceSet', key, ttlMs: ms });
  parts.store.put(id, key, encoded, ms);
}

/** `forceSetMulti` on the fake: a value that cannot be encoded fails alone, in a `BatchKeyError`. */
export function fakeForceSetMulti<K, V>(
  parts: FakeWriteParts<K, V>,
  values: ReadonlyMap<K, V>,
  ttl: Duration,
  opts: CallOptions | undefined,
): void {
  const originals = encodeMapKeys(parts.keyCodec, values, 'forceSetMulti');
  const ms = toTtlMs(ttl, 'forceSetMulti', [...originals.values()]);
  if (originals.size === 0) return;
  const { encoded, failed } = parts.store.encodeEach('forceSetMulti', originals, values);
  if (encoded.size > 0) opts?.signal?.throwIfAborted();
  refuseIfDown(parts, 'forceSetMulti', [...originals.values()]);
  for (const [id, value] of encoded) {
    const key = originals.get(id)!;
    parts.log.push({ op: 'forceSetMulti', key, ttlMs: ms });
    parts.store.put(id, key, value, ms);
  }
  throwBatch('forceSetMulti', { succeeded: [...encoded.keys()], failed }, originals);
}

/** `del` and `delMulti` on the fake: logs whether each key was found. */
export function fakeDelete<K, V>(
  parts: FakeWriteParts<K, V>,
  op: 'del' | 'delMulti',
  keys: readonly K[],
  opts: CallOptions | undefined,
): void {
  const originals = encodeKeys(parts.keyCodec, keys, op);
  if (originals.size === 0) return;
  opts?.signal?.throwIfAborted();
  refuseIfDown(parts, op, [...originals.values()]);
  for (const [id, key] of originals) parts.log.push({ op, key, found: parts.store.delete(id) });
}

/** `touch` and `touchMulti` on the fake: sets the deadline of live keys only (never creates, never resurrects). */
export function fakeTouch<K, V>(
  parts: FakeWriteParts<K, V>,
  op: 'touch' | 'touchMulti',
  keys: readonly K[],
  ttl: Duration,
  opts: CallOptions | undefined,
): void {
  const ms = toTtlMs(ttl, op, op === 'touch' ? keys[0] : keys);
  const originals = encodeKeys(parts.keyCodec, keys, op);
  if (originals.size === 0) return;
  opts?.signal?.throwIfAborted();
  refuseIfDown(parts, op, [...originals.values()]);
  for (const [id, key] of originals) parts.log.push({ op, key, found: parts.store.touch(id, ms) });
}
