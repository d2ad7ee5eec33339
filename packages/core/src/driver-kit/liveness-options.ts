import { MAX_TIMER_MS } from '../config/max-timer.js';
import { InvalidOptionsError } from '../errors/errors.js';

/** How the driver checks that each connection whose invalidations it follows still answers. */
export interface LivenessCheckOptions {
  /** How often each connection is sent a PING, in ms. */
  readonly intervalMs: number;
  /** How long a PING may go unanswered before every key counts as changed, in ms (at least 10). */
  readonly timeoutMs: number;
}

/**
 * A PING a second, and a second for its reply: a frozen or silently cut-off node is noticed,
 * and the near cache dropped, within 2 s. That must be well under a cluster's node timeout
 * (`cluster-node-timeout`, 15 s by default), after which a replica may be promoted and take
 * writes this process would never hear of. A false alarm (a reply held up by a slow command
 * or script) only costs re-reading from Redis what the near cache held.
 */
export const DEFAULT_LIVENESS_CHECK: LivenessCheckOptions = { intervalMs: 1_000, timeoutMs: 1_000 };

const MIN_TIMEOUT_MS = 10;

/**
 * The liveness check an option asks for: the default when it is left out, none for `false`.
 * Throws `InvalidOptionsError` naming each bad field.
 */
export function livenessCheckOf(
  option: LivenessCheckOptions | false | undefined,
): LivenessCheckOptions | false {
  if (option === undefined) return DEFAULT_LIVENESS_CHECK;
  if (option === false) return false;
  if (typeof option !== 'object' || option === null) {
    throw new InvalidOptionsError(['livenessCheck: must be { intervalMs, timeoutMs } or false']);
  }
  const issues = [
    ...timerIssues('intervalMs', option.intervalMs, 1),
    ...timerIssues('timeoutMs', option.timeoutMs, MIN_TIMEOUT_MS),
  ];
  if (issues.length > 0) throw new InvalidOptionsError(issues);
  return { intervalMs: option.intervalMs, timeoutMs: option.timeoutMs };
}

function timerIssues(field: keyof LivenessCheckOptions, value: unknown, min: number): string[] {
  if (Number.isInteger(value) && (value as number) >= min && (value as number) <= MAX_TIMER_MS) return [];
  const lowest = min === 1 ? 'a positive integer' : `an integer of at least ${min}`;
  return [`livenessCheck.${field}: must be ${lowest} (ms), at most ${MAX_TIMER_MS}`];
}
