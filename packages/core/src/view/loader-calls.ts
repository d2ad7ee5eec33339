import type { Loader, MultiLoader } from '../cache.js';
import type { KeyCodec } from '../codec.js';
import { encodeKey } from '../input/encode-key.js';
import { loaderContext } from '../lifecycle/abort-source.js';
import { type LoaderRun, multiKeyRun, singleKeyRun } from '../loader/loader-run.js';
import type { LoadRequest } from '../read/load-request.js';

/**
 * A single-key loader as the engine calls it: answers by Redis key, with the run's choices
 * (`setTtl`, `skipStore`) tied to the answer (`choicesOf`). Throws synchronously when the
 * loader does (refresh-ahead counts that as a panic).
 */
export function singleLoad<K, V>(key: K, redisKey: string, loader: Loader<K, V>): LoadRequest['load'] {
  return (_keys, signal) => {
    const run = singleKeyRun(key, redisKey);
    const pending = called(run, () => loader(key, loaderContext(signal, run)));
    return settled(
      run,
      Promise.resolve(pending).then((value) => new Map([[redisKey, value]])),
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
    const run = multiKeyRun(op, keyCodec, keys, wanted);
    const pending = called(run, () => loader(keys, loaderContext(signal, run)));
    return settled(
      run,
      Promise.resolve(pending).then((answer) => byRedisKey(op, keyCodec, wanted, answer)),
    );
  };
}

/** Calls the loader; a synchronous throw ends the run and is thrown on. */
function called<K, T>(run: LoaderRun<K>, call: () => T): T {
  try {
    return call();
  } catch (error) {
    run.fail();
    throw error;
  }
}

/** The run's answer with its choices tied to it; a failure ends the run without them. */
function settled<K>(run: LoaderRun<K>, answer: Promise<Map<string, unknown>>): Promise<Map<string, unknown>> {
  return answer.then(
    (values) => run.end(values),
    (error: unknown) => {
      run.fail();
      throw error;
    },
  );
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
