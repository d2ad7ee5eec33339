import type { Codec } from '../codec.js';
import { encodePayload } from './encode-value.js';

export interface EncodedValues {
  readonly encoded: Map<string, string | Uint8Array>;
  /**
   * Keys the loader omitted (cause `undefined`) or whose value could not be encoded (the cause).
   * Read it only: when none failed (most runs) it is one empty map shared by all of them.
   */
  readonly failed: Map<string, unknown>;
}

/** No key failed: one map for all such runs (nobody adds to it). */
const NONE_FAILED = new Map<string, unknown>();

/** Encodes a loader's values for the keys it was asked for, setting aside omissions and failures. */
export function encodeValues(
  codec: Codec<unknown>,
  keys: readonly string[],
  values: ReadonlyMap<string, unknown>,
): EncodedValues {
  const encoded = new Map<string, string | Uint8Array>();
  /** Made for the first failure. */
  let failed: Map<string, unknown> | undefined;
  for (const key of keys) {
    if (!values.has(key)) {
      failed ??= new Map();
      failed.set(key, undefined);
      continue;
    }
    try {
      encoded.set(key, encodePayload(codec, values.get(key)));
    } catch (error) {
      failed ??= new Map();
      failed.set(key, error);
    }
  }
  return { encoded, failed: failed ?? NONE_FAILED };
}
