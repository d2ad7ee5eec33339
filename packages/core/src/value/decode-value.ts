import type { Codec } from '../codec.js';
import { DecodeError } from '../errors/errors.js';
import { deepFreeze } from './deep-freeze.js';

/** Decodes a payload for callers to share: deep-frozen, or a `DecodeError` naming the key. */
export function decodeValue<V>(codec: Codec<V>, payload: Uint8Array | string, op: string, key: unknown): V {
  let value: V;
  try {
    value = codec.decode(payload);
  } catch (error) {
    throw new DecodeError(op, key, error);
  }
  return deepFreeze(value);
}

/** The byte length of a payload, for the near cache's byte bound. */
export function payloadBytes(payload: Uint8Array | string): number {
  return typeof payload === 'string' ? Buffer.byteLength(payload) : payload.byteLength;
}
