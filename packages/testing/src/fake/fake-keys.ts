import type { KeyCodec } from '@redcache/core';

/**
 * The fake's key codec when none is given: a string key is its own Redis key, as with
 * `newStringCache` (so core refuses an empty key or a lone surrogate as the real view does);
 * a number is its decimal string (`0` and `-0` one key, as in a `Map`). Any other key needs the
 * view's key codec: the fake cannot tell it apart as the real view would.
 */
export const plainKeyCodec: KeyCodec<unknown> = {
  encodeKey(key) {
    if (typeof key === 'string') return key;
    if (typeof key === 'number') return String(key);
    throw new TypeError(
      `without a keyCodec the fake takes string and number keys, got ${typeof key}: pass your view's keyCodec`,
    );
  },
};
