import type { FlightSource } from '../flight/single-flight.js';
import type { CallEvent, KeyOutcome } from './call-event.js';

/**
 * A missed key's outcome from where its flight's value came from: `'loaded'` only for the call
 * that started the flight (a call that joined another's in-process flight `'waited'` for it).
 *
 * @param source - the flight outcome's source
 * @param startedHere - whether this call started the key's flight
 * @returns the key's outcome
 */
export function keyOutcomeOf(source: FlightSource, startedHere: boolean): KeyOutcome {
  if (source === 'redis') return 'redisHit';
  if (source === 'loaded') return startedHere ? 'loaded' : 'waited';
  return source;
}

/**
 * Counts `n` keys of a multi-key call as `kind`: in `counts`, and in `outcome` (`kind` while
 * every key so far came to it, else `'mixed'`).
 *
 * @param call - the multi-key call's event
 * @param kind - what the keys came to
 * @param n - how many keys (more than 0)
 */
export function countOutcome(call: CallEvent, kind: KeyOutcome, n: number): void {
  const counts = call.counts ?? {};
  counts[kind] = (counts[kind] ?? 0) + n;
  call.counts = counts;
  call.outcome = call.outcome === undefined || call.outcome === kind ? kind : 'mixed';
}
