import { describeKey } from '../errors/errors.js';

/** Throws a TypeError naming the op and key when a loader is not a function. */
export function requireFunction(loader: unknown, op: string, key: unknown): void {
  if (typeof loader !== 'function') {
    throw new TypeError(`redcache: ${op}: loader must be a function (key ${describeKey(key)})`);
  }
}
