import { describeKey } from '../errors/errors.js';

/** How each operation that takes a loader is called, for the error. */
const CALLS: Readonly<Record<string, string>> = {
  get: 'get(key, ttlMs, loader)',
  getMulti: 'getMulti(keys, ttlMs, loader)',
  set: 'set(key, ttlMs, loader)',
  setMulti: 'setMulti(keys, ttlMs, loader)',
};

/** What to write instead when a value was given where a write's loader belongs. */
const WRITE_VALUE: Readonly<Record<string, string>> = {
  set: 'to write a value you have, call forceSet(key, ttlMs, value) or set(key, ttlMs, async () => value)',
  setMulti: 'to write values you have, call forceSetMulti(values, ttlMs)',
};

/**
 * Throws unless `loader` is a function.
 *
 * @param loader - the loader as the caller gave it.
 * @param op - the operation, for the error (`get`, `setMulti`, …).
 * @param key - the key or keys as the caller gave them, for the error.
 * @throws TypeError naming the operation, the key and what was given, with the right call
 *   (and, on `set`/`setMulti` given a value, the call that writes a value).
 */
export function requireFunction(loader: unknown, op: string, key: unknown): void {
  if (typeof loader === 'function') return;
  const given =
    loader === undefined
      ? 'no loader was given'
      : `got ${typeof loader === 'object' ? (loader === null ? 'null' : 'an object') : `a ${typeof loader}`}`;
  const call = CALLS[op] === undefined ? '' : `; the call is ${CALLS[op]}`;
  const write = loader !== undefined && WRITE_VALUE[op] !== undefined ? `; ${WRITE_VALUE[op]}` : '';
  throw new TypeError(
    `redcache: ${op}: loader must be a function (key ${describeKey(key)}), ${given}${call}${write}`,
  );
}
