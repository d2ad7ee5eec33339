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
  const value = decodeValue(codec, written.payload, op, written.original);
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
