import type { CallEvent } from '../diagnostics/call-event.js';
import { countOutcome } from '../diagnostics/key-outcome.js';

/**
 * Counts a multi-key write's keys in its observed call: `'written'` for each that landed,
 * `'error'` for each that failed. Nothing when the call is not observed.
 *
 * @param call - the call's event, when observed
 * @param outcome - the write's per-key outcome
 */
export function countWrites(
  call: CallEvent | undefined,
  outcome: { readonly succeeded: readonly string[]; readonly failed: ReadonlyMap<string, unknown> },
): void {
  if (call === undefined) return;
  if (outcome.succeeded.length > 0) countOutcome(call, 'written', outcome.succeeded.length);
  if (outcome.failed.size > 0) countOutcome(call, 'error', outcome.failed.size);
}
