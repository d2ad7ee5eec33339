import type { Loader, MultiLoader } from '../cache.js';
import type { KeyCodec } from '../codec.js';
import { encodeKey } from '../input/encode-key.js';
import { loaderContext } from '../lifecycle/abort-source.js';
import type { LoadRequest } from '../read/load-request.js';

/**
 * A single-key loader as the engine calls it: answers by Redis key. Throws synchronously when
 * the loader does (refresh-ahead counts that as a panic).
 */
export function singleLoad<K, V>(key: K, redisKey: string, loader: Loader<K, V>): LoadRequest['load'] {
  return (_keys, signal) => {
    const pending = loader(key, loaderContext(signal));
    return Promise.resolve(pending).then((value) => new Map([[redisKey, value]]));
  };
}

/**
 * A multi-key loader as the engine calls it: with the caller's keys, its answer mapped back to
 * Redis keys (entries for keys it was not asked for are ignored). Throws synchronously when the
 * loader does.
 */
export function multiLoad<K, V>(
  op: string,
  keyCodec: KeyCodec<K>,
  originals: ReadonlyMap<string, K>,
  loader: MultiLoader<K, V>,
): LoadRequest['load'] {
  return (wanted, signal) => {
    const pending = loader(
      wanted.map((redisKey) => originals.get(redisKey)!),
      loaderContext(signal),
    );
    return Promise.resolve(pending).then((answer) => byRedisKey(op, keyCodec, wanted, answer));
  };
}

function byRedisKey<K>(
  op: string,
  keyCodec: KeyCodec<K>,
  wanted: readonly string[],
  answer: unknown,
): Map<string, unknown> {
  if (!(answer instanceof Map)) {
    throw new TypeError(`redcache: ${op}: the loader must resolve to a Map, got ${typeof answer}`);
  }
  const asked = new Set(wanted);
  const values = new Map<string, unknown>();
  for (const [key, value] of answer) {
    let redisKey: string;
    try {
      redisKey = encodeKey(keyCodec, key as K, op);
    } catch {
      continue;
    }
    if (asked.has(redisKey)) values.set(redisKey, value);
  }
  return values;
}
