/** The prefix of every value the library writes. Fixed: it is the wire format shared with the Go library. */
export const ENVELOPE_PREFIX = '__redcache:v1:';

/**
 * The value envelope shared with the Go library: `__redcache:v1:<delta_ns>:<payload>`.
 * `delta_ns` is the loader's compute time in integer nanoseconds; the payload is the codec's
 * bytes, verbatim. See docs/wire-format.md.
 */

const encoder = new TextEncoder();
const PREFIX_BYTES = encoder.encode(ENVELOPE_PREFIX);
const COLON = 0x3a;
const MAX_INT64 = 9223372036854775807n;
const DECIMAL = /^[+-]?\d+$/;
/** A sign and the 19 digits of the largest int64; anything longer is not a delta. */
const MAX_DELTA_CHARS = 20;

export interface Unwrapped {
  /** The codec's bytes. */
  readonly payload: Uint8Array;
  /** The compute time recorded with the value, in nanoseconds (0 for a legacy or forced value). */
  readonly deltaNs: number;
}

/** Wraps a payload: exactly one envelope layer, whatever the payload looks like. */
export function wrapEnvelope(payload: string | Uint8Array, deltaNs: number): Uint8Array {
  const delta = Number.isFinite(deltaNs) && deltaNs > 0 ? BigInt(Math.floor(deltaNs)) : 0n;
  const head = encoder.encode(`${ENVELOPE_PREFIX}${delta > MAX_INT64 ? MAX_INT64 : delta}:`);
  const body = typeof payload === 'string' ? encoder.encode(payload) : payload;
  const out = new Uint8Array(head.length + body.length);
  out.set(head, 0);
  out.set(body, head.length);
  return out;
}

/** True when `raw` starts with `prefix` (compared as UTF-8 bytes). */
export function startsWithBytes(raw: Uint8Array, prefix: Uint8Array): boolean {
  if (raw.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (raw[i] !== prefix[i]) return false;
  return true;
}

/**
 * Unwraps a stored value. Anything that is not a well-formed envelope — no prefix, no second
 * colon, a delta that is not a non-negative 64-bit integer — is a legacy value, returned
 * whole with delta 0.
 */
export function unwrapEnvelope(raw: Uint8Array): Unwrapped {
  if (!startsWithBytes(raw, PREFIX_BYTES)) return { payload: raw, deltaNs: 0 };
  const colon = raw.indexOf(COLON, PREFIX_BYTES.length);
  if (colon < 0 || colon - PREFIX_BYTES.length > MAX_DELTA_CHARS) return { payload: raw, deltaNs: 0 };
  const digits = String.fromCharCode(...raw.subarray(PREFIX_BYTES.length, colon));
  if (!DECIMAL.test(digits)) return { payload: raw, deltaNs: 0 };
  const delta = BigInt(digits);
  if (delta < 0n || delta > MAX_INT64) return { payload: raw, deltaNs: 0 };
  return { payload: raw.subarray(colon + 1), deltaNs: Number(delta) };
}
