/** Wall-clock ms with sub-ms precision, comparable across processes on one machine. */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Sleeps until the wall-clock instant `atMs` (not at all if it has passed): how processes
 * told the same instant act together. Never returns early: a timer may fire up to a
 * millisecond before its time (whole-millisecond clock), so the rest is waited out in
 * event-loop turns.
 */
export async function sleepUntil(atMs: number): Promise<void> {
  await sleep(atMs - wallClockMs());
  while (wallClockMs() < atMs) await new Promise<void>((resolve) => setImmediate(resolve));
}
