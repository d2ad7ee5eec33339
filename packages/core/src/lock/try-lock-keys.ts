import type { RuntimeDriver } from '../driver/runtime-driver.js';
import type { RedisReply } from '../driver.js';
import { RedisCommandError } from '../errors/errors.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { startsWithBytes } from '../wire/envelope.js';
import type { HeldLock } from './held-lock.js';
import type { LockManager } from './lock-manager.js';

/** The outcome of `SET key <lock> NX GET PX lockTTL` for one key. */
export type LockAttempt =
  | { readonly acquired: true; readonly lock: HeldLock }
  /** Someone else holds the key: a lock (`locked`), or a value written since our read (`value`). */
  | { readonly acquired: false; readonly holder: 'locked' | 'value' };

/** What taking read locks needs. */
export interface LockingParts {
  readonly driver: RuntimeDriver;
  readonly locks: LockManager;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly options: { readonly lockTTLMs: number };
  readonly lockPrefixBytes: Uint8Array;
}

/**
 * Tries to lock keys that read as missing: one pipeline per slot group, every reply drained;
 * each lock won is handed to the lock manager as its reply arrives. A Redis error on any key
 * releases the locks this call did get and throws, naming `op`. Throws `ClosedError` (after
 * releasing them) when the connection closed meanwhile: a lock won after close is not kept.
 */
export async function tryLockKeys(
  parts: LockingParts,
  op: string,
  keys: readonly string[],
): Promise<Map<string, LockAttempt>> {
  const attempts = new Map<string, LockAttempt>();
  const px = String(parts.options.lockTTLMs);
  let failure: { key: string; error: Error } | undefined;
  let refused = false;
  const results = await Promise.allSettled(
    parts.driver.groupBySlot(keys).map(async (group) => {
      const tokens = group.map(() => parts.locks.nextToken());
      const replies = await parts.driver.send(
        op,
        group.map((key, i) => ({ key, args: ['SET', key, tokens[i]!, 'NX', 'GET', 'PX', px] })),
        'lock',
      );
      group.forEach((key, i) => {
        const reply = replies[i] ?? null;
        if (reply instanceof Error) {
          parts.metrics.redisError('lock');
          failure ??= { key, error: reply };
          return;
        }
        parts.logger.debug('redcache: lock attempt', { op, key, acquired: reply === null });
        if (reply !== null) {
          attempts.set(key, { acquired: false, holder: holderOf(reply, parts.lockPrefixBytes) });
          return;
        }
        const lock = parts.locks.hold(op, key, tokens[i]!);
        if (lock === undefined) refused = true;
        else attempts.set(key, { acquired: true, lock });
      });
    }),
  );
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure !== undefined || rejected !== undefined || refused) {
    await parts.locks.release(op, wonLocks(attempts));
    if (rejected !== undefined) throw rejected.reason;
    if (failure !== undefined) throw new RedisCommandError(op, failure.key, failure.error);
    parts.locks.assertTaking(op, keys);
  }
  return attempts;
}

/** The locks won among `attempts`. */
export function wonLocks(attempts: ReadonlyMap<string, LockAttempt>): HeldLock[] {
  return [...attempts.values()].flatMap((attempt) => (attempt.acquired ? [attempt.lock] : []));
}

function holderOf(reply: RedisReply, lockPrefix: Uint8Array): 'locked' | 'value' {
  const bytes = typeof reply === 'string' ? new TextEncoder().encode(reply) : reply;
  return bytes instanceof Uint8Array && startsWithBytes(bytes, lockPrefix) ? 'locked' : 'value';
}
