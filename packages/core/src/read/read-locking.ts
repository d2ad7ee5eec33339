import { MergedReplyError } from '../driver/merge-layout.js';
import type { RedisReply } from '../driver.js';
import { isTryAgain } from '../driver-kit/try-again.js';
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
 * A run's read-or-lock: every missing key is locked but the throttled ones, which the run sets
 * before each read (a class: no closure per run).
 */
export class RunLocking implements ReadLocking {
  readonly locks: LockManager;
  readonly lockTTLMs: number;
  /** Keys only read (their loader is throttled), for the next read. */
  throttled: ReadonlySet<string> | undefined;

  constructor(locks: LockManager, lockTTLMs: number) {
    this.locks = locks;
    this.lockTTLMs = lockTTLMs;
  }

  lockable(key: string): boolean {
    return this.throttled?.has(key) !== true;
  }
}

/**
 * Once every group of a read has settled (so no lock reply goes unseen), and `failed` holds the
 * first group's failure if any: if one failed, or a lock was refused because the connection
 * closed (the lock manager released it at once, and `key` has no answer), releases the locks
 * this read took and throws — the group's error, or `ClosedError` naming `op`. Resolves
 * otherwise. Called only when the read needs it (it is an async frame).
 */
export async function settleLocks(
  op: string,
  keys: readonly string[],
  locking: ReadLocking | undefined,
  answers: ReadonlyMap<string, readonly unknown[] | HeldLock>,
  failed: { readonly reason: unknown } | undefined,
): Promise<void> {
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

/** read-or-lock's PTTL entry for a key it found missing and locked with our token. */
export const LOCKED_FOR_US = -3;

/** Each key's lock token for a read-or-lock ('' for a key only read). */
export function tokensFor(chunk: readonly string[], locking: ReadLocking | undefined): string[] {
  return chunk.map((key) => (locking?.lockable(key) === true ? locking.locks.nextToken() : ''));
}

/**
 * Releases locks a read-or-lock may have written that its caller will not hold: each key's
 * token ('' for none) is handed to the lock manager and released at once (a release deletes
 * only a key that holds that token). Not awaited: the lock manager tracks it, and close waits
 * for it.
 */
export function undoLocks(
  locking: ReadLocking | undefined,
  op: string,
  keys: readonly string[],
  tokens: readonly string[],
): void {
  if (locking === undefined) return;
  const sent = keys.flatMap((key, i) => {
    const lock = tokens[i] === '' ? undefined : locking.locks.hold(op, key, tokens[i]!);
    return lock === undefined ? [] : [lock];
  });
  void locking.locks.release(op, sent);
}

/**
 * The tokens of a read-or-lock's reply that may have locked their key ('' for the others): those
 * answered LOCKED_FOR_US, or every one when its merged script failed midway.
 */
export function lockedBy(
  reply: RedisReply | Error | undefined,
  tokens: readonly string[],
): readonly string[] {
  if (reply instanceof MergedReplyError)
    return isTryAgain(reply.reply as RedisReply | Error) ? tokens.map(() => '') : tokens;
  return tokens.map((token, i) =>
    Array.isArray(reply) && reply[2 * i] === null && reply[2 * i + 1] === LOCKED_FOR_US ? token : '',
  );
}
