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
const PLUS = 0x2b;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
const MAX_INT64 = 9223372036854775807n;
/** The digits of the largest int64: past its leading zeros, a delta has at most this many. */
const MAX_INT64_DIGITS = 19;

export interface Unwrapped {
  /** The codec's bytes. */
  readonly payload: Uint8Array;
  /** The compute time recorded with the value, in nanoseconds (0 for a legacy or forced value). */
  readonly deltaNs: number;
}

/** Wraps a payload: exactly one envelope layer, whatever the payload looks like. */
export function wrapEnvelope(payload: string | Uint8Array, deltaNs: number): Uint8Array {
  const digits = deltaDigits(deltaNs);
  if (typeof payload !== 'string') {
    const out = withHead(digits, payload.length);
    out.set(payload, out.length - payload.length);
    return out;
  }
  // A short ASCII payload is copied byte by byte (no encoder call); any other is encoded with its head.
  if (payload.length <= SHORT_TEXT) {
    const out = shortAscii(payload, digits);
    if (out !== undefined) return out;
  }
  return encoder.encode(`${ENVELOPE_PREFIX}${digits}:${payload}`);
}

/** Payloads up to this many UTF-16 units are tried as ASCII first (measured: the copy wins up to ~30). */
const SHORT_TEXT = 32;

/** A new array holding the head (prefix, `digits`, colon) and room for `payloadBytes` after it. */
function withHead(digits: string, payloadBytes: number): Uint8Array {
  const out = new Uint8Array(PREFIX_BYTES.length + digits.length + 1 + payloadBytes);
  out.set(PREFIX_BYTES);
  let at = PREFIX_BYTES.length;
  for (let i = 0; i < digits.length; i++) out[at++] = digits.charCodeAt(i);
  out[at] = COLON;
  return out;
}

/** The envelope of an ASCII `text`, or undefined when it holds any other character. */
function shortAscii(text: string, digits: string): Uint8Array | undefined {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return undefined;
  const out = withHead(digits, text.length);
  const at = out.length - text.length;
  for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i);
  return out;
}

/** A compute time as the envelope's integer nanoseconds: 0 unless finite and positive, at most int64 max. */
function deltaDigits(deltaNs: number): string {
  if (!(Number.isFinite(deltaNs) && deltaNs > 0)) return '0';
  const delta = Math.floor(deltaNs);
  if (delta <= Number.MAX_SAFE_INTEGER) return String(delta);
  const exact = BigInt(delta);
  return String(exact > MAX_INT64 ? MAX_INT64 : exact);
}

/** True when `raw` starts with `prefix` (compared as UTF-8 bytes). */
export function startsWithBytes(raw: Uint8Array, prefix: Uint8Array): boolean {
  if (raw.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (raw[i] !== prefix[i]) return false;
  return true;
}

/**
 * Unwraps a stored value. Anything that is not a well-formed envelope — no prefix, no second
 * colon, a delta that Go's `strconv.ParseInt` refuses or that is negative — is a legacy value,
 * returned whole with delta 0.
 */
export function unwrapEnvelope(raw: Uint8Array): Unwrapped {
  if (!startsWithBytes(raw, PREFIX_BYTES)) return { payload: raw, deltaNs: 0 };
  const colon = raw.indexOf(COLON, PREFIX_BYTES.length);
  if (colon < 0) return { payload: raw, deltaNs: 0 };
  const delta = parseDelta(raw, PREFIX_BYTES.length, colon);
  if (delta === undefined) return { payload: raw, deltaNs: 0 };
  return { payload: raw.subarray(colon + 1), deltaNs: Number(delta) };
}

/**
 * The delta in `raw[start, end)` as the Go library reads it, `strconv.ParseInt(s, 10, 64)`
 * then "not negative": one optional `+` or `-`, then one or more ASCII digits, any number of
 * them leading zeros, at most int64 max (`-0` is 0). Anything else is `undefined`.
 */
function parseDelta(raw: Uint8Array, start: number, end: number): bigint | undefined {
  let i = start;
  const sign = raw[i];
  const negative = sign === MINUS;
  if (sign === PLUS || negative) i++;
  if (i === end) return undefined;
  for (let j = i; j < end; j++) {
    const byte = raw[j]!;
    if (byte < ZERO || byte > NINE) return undefined;
  }
  while (i < end - 1 && raw[i] === ZERO) i++;
  if (end - i > MAX_INT64_DIGITS) return undefined;
  const delta = BigInt(String.fromCharCode(...raw.subarray(i, end)));
  if (delta > MAX_INT64) return undefined;
  if (negative && delta !== 0n) return undefined;
  return delta;
}
