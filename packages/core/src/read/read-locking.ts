import type { HeldLock } from '../lock/held-lock.js';
import type { LockManager } from '../lock/lock-manager.js';

/** A read that locks what it finds missing (read-or-lock): who holds the locks, for how long. */
export interface ReadLocking {
  readonly locks: LockManager;
  readonly lockTTLMs: number;
  /** Whether a missing `key` is to be locked (else it is only read). */
  lockable(key: string): boolean;
}

/**
 * Waits for every group of a read to settle (so no lock reply goes unseen), then: if one
 * failed, or a lock was refused because the connection closed (the lock manager released it
 * at once, and `key` has no answer), releases the locks this read took and throws — the
 * group's error, or `ClosedError` naming `op`.
 */
export async function settleLocks(
  op: string,
  keys: readonly string[],
  locking: ReadLocking | undefined,
  answers: ReadonlyMap<string, readonly unknown[] | HeldLock>,
  groups: readonly Promise<void>[],
): Promise<void> {
  let failed: { readonly reason: unknown } | undefined;
  if (groups.length === 1) {
    // One slot group (every read on a single server): awaited as it is.
    try {
      await groups[0];
    } catch (reason) {
      failed = { reason };
    }
  } else {
    const results = await Promise.allSettled(groups);
    failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  }
  const refused = failed === undefined && answers.size < keys.length && keys.some((key) => !answers.has(key));
  if (!failed && !refused) return;
  if (locking !== undefined)
    await locking.locks.release(
      op,
      [...answers.values()].filter((answer): answer is HeldLock => !Array.isArray(answer)),
    );
  if (failed !== undefined) throw failed.reason;
  locking?.locks.assertTaking(op, keys);
  throw new Error(`redcache: ${op}: a read left keys unanswered`);
}
