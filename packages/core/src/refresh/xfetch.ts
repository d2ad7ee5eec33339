/**
 * The refresh-ahead decision (XFetch, Vattani et al., VLDB 2015, gated by a floor):
 * - never when refresh is off (`fraction` 0) or the value has no life left to measure;
 * - never while the remaining life is at or above the floor `ttl × (1 − fraction)`;
 * - below the floor, always when `beta` is 0 or the value's compute time is unknown (0);
 * - otherwise with probability exp(−remaining / (delta × beta)): refresh iff
 *   remaining ≤ delta × beta × X, X ~ Exp(1). Slow values (large delta) refresh earlier.
 */
export interface RefreshPolicy {
  readonly fraction: number;
  readonly beta: number;
}

/**
 * The part of the decision that needs no dice: whether a value with `remainingMs` of life
 * left can be due at all. A hit that is not skips building anything for refresh.
 */
export function mayRefresh(fraction: number, remainingMs: number, ttlMs: number): boolean {
  return fraction > 0 && remainingMs > 0 && remainingMs < ttlMs * (1 - fraction);
}

export function shouldRefresh(
  policy: RefreshPolicy,
  remainingMs: number,
  ttlMs: number,
  deltaNs: number,
  random: () => number = Math.random,
): boolean {
  if (!mayRefresh(policy.fraction, remainingMs, ttlMs)) return false;
  if (deltaNs <= 0 || policy.beta <= 0) return true;
  const exp1 = -Math.log(1 - random());
  return remainingMs <= (deltaNs / 1e6) * policy.beta * exp1;
}
