/** What a write lock replaced, to put back if the write fails. */
export interface SavedValue {
  /** The exact stored bytes (envelope and all). */
  readonly raw: Uint8Array;
  /** ms it had left when we took the key (-1: no expiry). */
  readonly pttlMs: number;
  /** `performance.now()` when we took it: the restored value keeps its remaining life. */
  readonly takenAt: number;
}

/**
 * A lock this process holds in Redis: a read or write lock in a value's key, or a refresh
 * lock in its own key. Made and owned by the `LockManager`; releasing it deletes it by CAS on
 * its token, or puts `saved` back.
 */
export interface HeldLock {
  readonly key: string;
  readonly token: string;
  readonly saved?: SavedValue | undefined;
}

/** The ttl to restore a saved value with: 0 for no expiry, undefined when it would have expired by now. */
export function remainingTtlMs(saved: SavedValue, now: number): number | undefined {
  if (saved.pttlMs < 0) return 0;
  const left = Math.ceil(saved.pttlMs - (now - saved.takenAt));
  return left > 0 ? left : undefined;
}

/** Removes `keys` from `locks` (a procedure's locks by key) and returns their locks. */
export function takeLocks(locks: Map<string, HeldLock>, keys: Iterable<string>): HeldLock[] {
  const taken: HeldLock[] = [];
  for (const key of keys) {
    const lock = locks.get(key);
    if (lock === undefined) continue;
    taken.push(lock);
    locks.delete(key);
  }
  return taken;
}
