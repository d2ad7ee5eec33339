/** What a write lock replaced, to put back if the write fails. */
export interface SavedValue {
  /** The exact stored bytes (envelope and all). */
  readonly raw: Uint8Array;
  /** ms it had left when we took the key (-1: no expiry). */
  readonly pttlMs: number;
  /** `performance.now()` when we took it: the restored value keeps its remaining life. */
  readonly takenAt: number;
}

/** A lock this process holds in a key. Releasing it deletes it, or puts `saved` back. */
export interface HeldLock {
  readonly token: string;
  readonly saved?: SavedValue | undefined;
}

/** The ttl to restore a saved value with: 0 for no expiry, undefined when it would have expired by now. */
export function remainingTtlMs(saved: SavedValue, now: number): number | undefined {
  if (saved.pttlMs < 0) return 0;
  const left = Math.ceil(saved.pttlMs - (now - saved.takenAt));
  return left > 0 ? left : undefined;
}

/** Removes `keys` from `locks` and returns them as a map of their own. */
export function takeLocks(locks: Map<string, HeldLock>, keys: Iterable<string>): Map<string, HeldLock> {
  const taken = new Map<string, HeldLock>();
  for (const key of keys) {
    const lock = locks.get(key);
    if (lock === undefined) continue;
    taken.set(key, lock);
    locks.delete(key);
  }
  return taken;
}
