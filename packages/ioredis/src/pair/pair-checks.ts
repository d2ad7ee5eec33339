import { LivenessCheck, type LivenessCheckOptions } from '@redcache/core/internal';
import { pingableConnection } from '../liveness/pingable-connection.js';
import type { TrackingPair } from './tracking-pair.js';

/**
 * A liveness check on each side of the pair (none when `liveness` is false): a side that
 * fails one breaks the pair and is dropped, to reconnect (`TrackingPair.resync`). Stop them
 * before closing the pair.
 */
export function pairChecks(pair: TrackingPair, liveness: LivenessCheckOptions | false): LivenessCheck[] {
  if (liveness === false) return [];
  return (['data', 'subscriber'] as const).map(
    (side) => new LivenessCheck(pingableConnection(pair[side]), liveness, () => pair.resync(side)),
  );
}
