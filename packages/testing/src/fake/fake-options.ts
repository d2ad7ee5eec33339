import type { Codec, KeyCodec } from '@redcache/core';
import type { FakeResilienceOptions } from './fake-policy.js';

/**
 * `whenRedisIsDown`, `failSafe` and `loaderTimeout` mean what they mean in core's `Options`
 * and are validated by core's schema (see docs/testing-with-the-fake.md): they act while
 * `redisDown(true)` holds, when a loader fails, or when it is slow. `failSafe`'s `maxStaleMs`
 * and `throttleMs` run on the fake's clock; `loaderTimeout`'s timers are real `setTimeout`s
 * (vitest's fake timers move them).
 */
export interface FakeCacheOptions<K, V> extends FakeResilienceOptions {
  /** The clock in ms. Default: frozen at creation; `advance(ms)` moves the fake's time either way. */
  now?: () => number;
  /** The codec your real view uses: values round-trip through it (EncodeError, DecodeError, copies, frozen). */
  codec?: Codec<V>;
  /**
   * The key codec your real view uses: keys are told apart by what it returns, and refused as
   * the real view refuses them (InvalidKeyError). Default: string keys as they are (as
   * `newStringCache`), numbers as their decimal string.
   */
  keyCodec?: KeyCodec<K>;
  /**
   * The prefix your real view has (`ViewOptions.prefix`), checked as the real view checks it:
   * keys are stored as `prefix` + the key codec's output, and `clear()` removes them. Without
   * one, `clear()` rejects with a `TypeError`, as the real view's does.
   */
  prefix?: string;
}
