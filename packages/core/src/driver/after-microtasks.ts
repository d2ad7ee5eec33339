/**
 * Runs `task` once the microtask queue is empty: after every promise reaction of this tick,
 * including those queued by others (a tick queued from a microtask runs once they are done).
 * Neither is held back by fake timers that leave `nextTick` real (vitest's default).
 */
export function afterMicrotasks(task: () => void): void {
  void Promise.resolve().then(() => process.nextTick(task));
}
