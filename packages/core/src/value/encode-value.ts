import type { Codec } from '../codec.js';
import { EncodeError } from '../errors/errors.js';

/** The codec's payload for `value`; throws what the codec threw, or a TypeError for a payload that is neither text nor bytes. */
export function encodePayload<V>(codec: Codec<V>, value: V): string | Uint8Array {
  const payload = codec.encode(value);
  if (typeof payload === 'string' || payload instanceof Uint8Array) return payload;
  throw new TypeError(`codec.encode returned ${typeof payload}, not a string or Uint8Array`);
}

/** Encodes one value for `key`: the codec's payload, or an `EncodeError` naming the op and key. */
export function encodeValue<V>(codec: Codec<V>, op: string, key: unknown, value: V): string | Uint8Array {
  try {
    return encodePayload(codec, value);
  } catch (error) {
    throw new EncodeError(op, key, error);
  }
}
