import type { Codec } from '../codec.js';
import type { ResolvedFailSafe } from '../config/resilience-options.js';
import type { EngineContext } from '../engine/engine-context.js';
import type { FallbackOffer } from '../flight/single-flight.js';
import { unwrapEnvelope } from '../wire/envelope.js';

/**
 * One caller's fail-safe for `key`: when its flight fails with a cause (the loader threw or
 * timed out, Redis was down) or its loader passes the soft timeout, the fallback the near
 * cache keeps for the key — stale by at most `maxStaleMs` — is what the caller gets. Each one
 * served counts `failSafeServed`; one served for a failed loader throttles the key's loader
 * for `throttleMs` (with `view`, the caller's view name). Undefined when the call has no fail-safe or the Conn no near cache.
 */
export function fallbackOffer(
  ctx: Pick<EngineContext, 'nearCache' | 'metrics'>,
  key: string,
  codec: Codec<unknown>,
  failSafe: ResolvedFailSafe | false,
  view: string | undefined,
): FallbackOffer | undefined {
  const nearCache = ctx.nearCache;
  if (failSafe === false || nearCache === undefined) return undefined;
  return (reason, error) => {
    const now = performance.now();
    const entry = nearCache.fallback(key, codec, now, failSafe.maxStaleMs);
    if (entry === undefined) return undefined;
    const cause = reason === 'soft' ? 'timeout' : reason;
    ctx.metrics.failSafeServed(1, cause, view);
    if ((reason === 'loader' || reason === 'timeout') && failSafe.throttleMs > 0) {
      nearCache.throttle(key, now, { until: now + failSafe.throttleMs, error, cause: reason });
    }
    const { payload } = unwrapEnvelope(entry.raw);
    return { value: entry.value, codec, payload, source: 'fallback', fallback: cause };
  };
}
