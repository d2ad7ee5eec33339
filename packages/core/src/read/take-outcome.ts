import type { FlightOutcome } from '../flight/single-flight.js';
import type { Metrics } from '../metrics.js';
import { decodeValue } from '../value/decode-value.js';
import type { ViewCodecs } from '../view/view-codecs.js';

/**
 * A caller's value from its flight's outcome: counted as a hit (it was in Redis) or a miss (loaded, waited for, degraded or a fallback),
 * and decoded again only when the flight was started by a view with another codec.
 */
export function takeOutcome<V>(
  metrics: Metrics,
  view: ViewCodecs<unknown, V>,
  outcome: FlightOutcome,
  op: string,
  key: unknown,
): V {
  if (outcome.source === 'redis') metrics.cacheHits(1, view.name);
  else metrics.cacheMisses(1, view.name);
  if (outcome.codec === view.codec) return outcome.value as V;
  return decodeValue(view.codec, outcome.payload, op, key);
}
