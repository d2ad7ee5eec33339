import { StringCodec, UnsafeBytesCodec } from '../codec/ready-codecs.js';
import type { Codec } from '../codec.js';
import { type NearParts, storeNear } from '../near-cache/store-near.js';
import { decodeValue } from './decode-value.js';

/** A value this process has just written. */
export interface Written {
  readonly key: string;
  readonly original: unknown;
  readonly payload: string | Uint8Array;
  /** The bytes written (envelope and all). */
  readonly raw: Uint8Array;
  readonly deltaNs: number;
}

/** Key `key`'s `Written` from a batch's payloads and envelopes (`encodeValues`, `wrapAll`). */
export function writtenOf(
  key: string,
  original: unknown,
  encoded: ReadonlyMap<string, string | Uint8Array>,
  envelopes: ReadonlyMap<string, Uint8Array>,
  deltaNs: number,
): Written {
  return { key, original, payload: encoded.get(key)!, raw: envelopes.get(key)!, deltaNs };
}

/**
 * A value this process just wrote: decoded (as readers would see it) and, when `keep` (no
 * other write crossed ours), kept in the near cache (then as a fallback for `staleMs`). The write's script re-armed client
 * tracking, so a later change by anyone reaches this near cache.
 */
export function keepWritten(
  ctx: NearParts,
  op: string,
  codec: Codec<unknown>,
  written: Written,
  ttlMs: number,
  keep: boolean,
  staleMs?: number,
): unknown {
  const value = writtenValue(codec, written, op);
  if (keep)
    storeNear(
      ctx,
      written.key,
      { value, codec, raw: written.raw, deltaNs: written.deltaNs },
      ttlMs,
      ttlMs,
      staleMs,
    );
  return value;
}

/**
 * What readers of the written value get: decoded from what was stored — a text payload as it
 * is (strings are immutable), bytes from the stored envelope (our own copy: the encoder's
 * array may still be the loader's, free to change it). The ready identity codecs are not
 * called: a string is its own `StringCodec` value, the stored bytes their own
 * `UnsafeBytesCodec` value.
 */
function writtenValue(codec: Codec<unknown>, written: Written, op: string): unknown {
  const stored = storedPayload(written);
  if (codec === StringCodec && typeof stored === 'string') return stored;
  if (codec === UnsafeBytesCodec && typeof stored !== 'string') return stored;
  return decodeValue(codec, stored, op, written.original);
}

/** The payload as stored: the text itself, or the payload's bytes within the written envelope (not the encoder's array). */
export function storedPayload(written: Written): string | Uint8Array {
  const { payload, raw } = written;
  return typeof payload === 'string' ? payload : raw.subarray(raw.length - payload.length);
}
