/**
 * The jittered delay between fallback polls while waiting on a lock: uniform in
 * [max/2, max], where max = lockTTL/10 clamped to [25 ms, 1 s] (lockTTL/2 if that is not
 * below lockTTL). The jitter keeps a fleet of waiters from polling in step.
 */
export function pollDelayMs(lockTTLMs: number, random: () => number = Math.random): number {
  let max = Math.min(1000, Math.max(25, lockTTLMs / 10));
  if (max >= lockTTLMs) max = lockTTLMs / 2;
  const min = max / 2;
  return min + random() * (max - min);
}
