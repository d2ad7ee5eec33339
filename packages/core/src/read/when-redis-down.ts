import type { EngineContext } from '../engine/engine-context.js';
import type { Flight } from '../flight/single-flight.js';
import type { AbortSource } from '../lifecycle/abort-source.js';
import { choicesOf } from '../loader/loader-choices.js';
import { decodeValue } from '../value/decode-value.js';
import { encodeValues } from '../value/encode-values.js';
import { wrapEnvelope } from '../wire/envelope.js';
import type { ReadRequest } from './load-request.js';
import { rejectFailed } from './reject-failed.js';
import { runLoader } from './run-loader.js';

/**
 * Redis could not be reached for `keys` (`error`, see `isRedisDown`). Each flight fails with
 * cause `'redis'` (callers with a fallback take it) when the Conn says `whenRedisIsDown:
 * 'fail'`, or when the starting call has a fallback at hand. Otherwise (`'load'`) the key is
 * loaded here, without Redis: no lock (a fleet-wide lock is impossible without Redis), one
 * loader call for every such key of this run, in-process single flight still collapsing
 * callers; a key whose loader is throttled fails with the throttled error instead.
 */
export async function whenRedisDown(
  ctx: EngineContext,
  req: ReadRequest,
  keys: Iterable<string>,
  flights: ReadonlyMap<string, Flight>,
  error: unknown,
  signal: AbortSource,
): Promise<void> {
  const now = performance.now();
  const load: string[] = [];
  for (const key of keys) {
    const flight = flights.get(key)!;
    if (flight.settled) continue;
    const failSafe = req.failSafe;
    const fallback =
      failSafe === false ? undefined : ctx.nearCache?.fallback(key, req.codec, now, failSafe.maxStaleMs);
    if (ctx.options.whenRedisIsDown === 'fail' || fallback !== undefined) {
      flight.reject(error, 'redis');
      continue;
    }
    const throttle = failSafe === false ? undefined : ctx.nearCache?.throttleOf(key, now);
    if (throttle !== undefined) flight.reject(throttle.error, throttle.cause);
    else load.push(key);
  }
  if (load.length > 0) await loadDegraded(ctx, req, load, flights, signal);
}

/**
 * Loads keys without Redis and settles their flights with the values: decoded as a read would
 * see them, never stored in Redis nor kept fresh in the near cache (nothing would tell this
 * process when they change), but kept as fallbacks when the read has fail-safe — unless the
 * loader chose `skipStore` for them (its `setTtl` changes nothing here).
 */
async function loadDegraded(
  ctx: EngineContext,
  req: ReadRequest,
  keys: readonly string[],
  flights: ReadonlyMap<string, Flight>,
  signal: AbortSource,
): Promise<void> {
  ctx.metrics.degradedLoads(keys.length, req.view);
  const loaded = await runLoader(
    ctx,
    req,
    keys,
    flights,
    signal,
    async () => {},
    (answer) => answer,
    (error: unknown) => Promise.reject(error),
  );
  if (loaded === undefined) return;
  signal.throwIfAborted();
  const { encoded, failed } = encodeValues(req.codec, keys, loaded.values);
  rejectFailed(ctx, req, failed, flights);
  const deltaNs = (loaded.elapsedMs * 1e6) / Math.max(1, loaded.values.size);
  const now = performance.now();
  const choices = choicesOf(loaded.values);
  for (const [key, payload] of encoded) {
    const flight = flights.get(key)!;
    try {
      const value = decodeValue(req.codec, payload, req.op, req.originals.get(key));
      const raw = wrapEnvelope(payload, deltaNs);
      if (choices?.of(key) !== 'skip')
        ctx.nearCache?.keepFallback(key, { value, codec: req.codec, raw, deltaNs }, now, req.staleMs);
      flight.resolve({ value, codec: req.codec, payload, source: 'degraded' });
    } catch (decodeError) {
      flight.reject(decodeError);
    }
  }
}
