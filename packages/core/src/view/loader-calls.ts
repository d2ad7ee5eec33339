import type { Loader, MultiLoader } from '../cache.js';
import type { KeyCodec } from '../codec.js';
import { encodeKey } from '../input/encode-key.js';
import { loaderContext } from '../lifecycle/abort-source.js';
import { LoaderRun } from '../loader/loader-run.js';
import type { LoadRequest } from '../read/load-request.js';

/**
 * A single-key loader as the engine calls it: answers by Redis key, with the run's choices
 * (`setTtl`, `skipStore`) tied to the answer (`choicesOf`). Throws synchronously when the
 * loader does (refresh-ahead counts that as a panic).
 */
export function singleLoad<K, V>(key: K, redisKey: string, loader: Loader<K, V>): LoadRequest['load'] {
  return (_keys, signal) => {
    const run = new LoaderRun<K>(key, redisKey);
    let pending: Promise<V>;
    try {
      pending = loader(key, loaderContext(signal, run));
    } catch (error) {
      return run.fail(error);
    }
    return Promise.resolve(pending).then(
      (value) => run.end(new Map([[redisKey, value]])),
      (error: unknown) => run.fail(error),
    );
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
    const keys = wanted.map((redisKey) => originals.get(redisKey)!);
    const run = new LoaderRun<K>(keys, wanted, keyCodec, op);
    let pending: Promise<Map<K, V>>;
    try {
      pending = loader(keys, loaderContext(signal, run));
    } catch (error) {
      return run.fail(error);
    }
    return Promise.resolve(pending).then(
      (answer) => run.end(byRedisKey(op, keyCodec, wanted, answer)),
      (error: unknown) => run.fail(error),
    );
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
