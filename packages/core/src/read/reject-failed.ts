import type { Flight } from '../flight/single-flight.js';
import type { Metrics } from '../metrics.js';
import { failedErrors } from '../value/loader-failures.js';
import type { LoadRequest } from './load-request.js';

/**
 * Fails the flights of keys that produced no value: one error naming every omitted key, an
 * `EncodeError` per value that could not be encoded (cause `'loader'`: a fallback may stand in).
 */
export function rejectFailed(
  ctx: { readonly metrics: Metrics },
  req: LoadRequest,
  failed: ReadonlyMap<string, unknown>,
  flights: ReadonlyMap<string, Flight>,
): void {
  if (failed.size === 0) return;
  ctx.metrics.loaderErrors(failed.size, req.view);
  for (const [key, error] of failedErrors(req.op, failed, (k) => req.originals.get(k))) {
    flights.get(key)!.reject(error, 'loader');
  }
}
