/** Wall-clock ms with sub-ms precision, comparable across processes on one machine. */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Sleeps until the wall-clock instant `atMs` (not at all if it has passed): how processes
 * told the same instant act together.
 */
export const sleepUntil = (atMs: number) => sleep(atMs - wallClockMs());
