import type { Codec } from './codec.js';
import { decodeValue, payloadBytes } from './decode-value.js';
import type { EngineContext } from './engine-context.js';
import { storeNear } from './store-near.js';

/**
 * A value this process just wrote: decoded (as readers would see it) and kept in the near
 * cache, unless a flush crossed the write (`epoch` changed). The write's script re-armed
 * client tracking, so a later change by anyone reaches this near cache.
 */
export function keepWritten(
  ctx: EngineContext,
  op: string,
  codec: Codec<unknown>,
  key: string,
  original: unknown,
  payload: string | Uint8Array,
  ttlMs: number,
  epoch: number,
): unknown {
  const value = decodeValue(codec, payload, op, original);
  if (ctx.hub.epoch === epoch) storeNear(ctx, key, value, codec, payloadBytes(payload), ttlMs, ttlMs);
  return value;
}
