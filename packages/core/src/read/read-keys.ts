import type { MergeLayout } from '../driver/merge-layout.js';
import { MergedReplyError } from '../driver/merge-layout.js';
import type { RedisReply } from '../driver.js';
import { isTryAgain } from '../driver-kit/try-again.js';
import type { EngineContext } from '../engine/engine-context.js';
import { RedisCommandError } from '../errors/errors.js';
import type { PushVerdict } from '../invalidation/invalidation-hub.js';
import { readOrLockScript } from '../wire/scripts/read-or-lock.js';
import { readValuesScript } from '../wire/scripts/read-values.js';
import { chunkKeys, MAX_KEYS_PER_SCRIPT } from './chunk-keys.js';
import { type Answer, classifyAll, type KeyState } from './key-state.js';
import {
  LOCKED_FOR_US,
  lockedBy,
  type ReadLocking,
  settleLocks,
  tokensFor,
  undoLocks,
} from './read-locking.js';

export type { KeyState } from './key-state.js';
export { oursIn } from './key-state.js';

/** What a tracked read needs. */
export type ReadParts = Pick<EngineContext, 'driver' | 'hub' | 'metrics' | 'lockPrefixBytes'>;

/** Reads of different callers merge into a script of up to `MAX_KEYS_PER_SCRIPT` keys (see script-merge.ts). */
const READ_VALUES_MERGE: MergeLayout = {
  many: readValuesScript,
  shared: 0,
  argsPerKey: 0,
  repliesPerKey: 2,
  maxKeys: MAX_KEYS_PER_SCRIPT,
};
/** read-or-lock's: the lock ttl shared, a lock value per key. */
const READ_OR_LOCK_MERGE: MergeLayout = {
  ...READ_VALUES_MERGE,
  many: readOrLockScript,
  shared: 1,
  argsPerKey: 1,
};

/**
 * Reads keys from Redis (value and PTTL, atomically): per slot group, scripts of at most
 * `MAX_KEYS_PER_SCRIPT` keys sent as one pipeline, the groups concurrently. Each read arms
 * client tracking, so a later change is pushed to us. Whether a value may be stored is
 * decided once every group has answered: a push that lands in between counts.
 * With `locking`, the read is read-or-lock: each lockable key found missing is locked in the
 * same script (`kind: 'ours'`), its lock held by the lock manager as its reply lands. If any
 * group fails, or the connection closed meanwhile, the locks this read took are released
 * before it throws (see `settleLocks`).
 */
export function readKeys(
  ctx: ReadParts,
  op: string,
  keys: readonly string[],
  locking?: ReadLocking,
): Promise<Map<string, KeyState>> {
  // Each key's answer as it lands; classified in place once every group has answered.
  const answers = new Map<string, Answer>();
  let groups: readonly (readonly string[])[];
  let verdict: PushVerdict;
  try {
    groups = ctx.driver.groupBySlot(keys);
    // As `hub.track` would, without its frame and `settleLocks'`: pushes count until every group
    // has settled, so none landing in between is missed. Not an async function either: an
    // in-flight read keeps callbacks, not a suspended frame.
    verdict = ctx.hub.startTracking(keys);
  } catch (error) {
    return Promise.reject(error);
  }
  const answered: Next<Map<string, KeyState>> = {
    done: () => takeAnswers(ctx, op, keys, locking, answers, verdict, undefined),
    failed: (reason) => takeAnswers(ctx, op, keys, locking, answers, verdict, { reason }),
  };
  // One group (the usual read): its reply is taken and answered in one reaction.
  if (groups.length === 1) return readGroup(ctx, op, groups[0]!, answers, locking, answered);
  return Promise.allSettled(groups.map((group) => readGroup(ctx, op, group, answers, locking, ONLY)))
    .then(throwFirstRejected)
    .then(answered.done, answered.failed);
}

/** What follows a group's read, in the same reaction as its reply: when it is taken, or failed. */
interface Next<T> {
  done(): T | PromiseLike<T>;
  failed(reason: unknown): T | PromiseLike<T>;
}

/** Nothing follows: the group's read settles as it does (one group of several, or a retry). */
const ONLY: Next<void> = {
  done: () => undefined,
  failed: (reason) => {
    throw reason;
  },
};

/**
 * Once every group has settled (no lock reply unseen): stops counting pushes, then a failure, or a
 * key left unanswered, releases and throws; else each answer is classified in place.
 */
function takeAnswers(
  ctx: ReadParts,
  op: string,
  keys: readonly string[],
  locking: ReadLocking | undefined,
  answers: Map<string, Answer>,
  verdict: PushVerdict,
  failed: { readonly reason: unknown } | undefined,
): Map<string, KeyState> | Promise<Map<string, KeyState>> {
  ctx.hub.stopTracking(verdict);
  if (failed !== undefined || answers.size < keys.length)
    return settleLocks(op, keys, locking, answers, failed).then(() =>
      classifyAll(ctx.lockPrefixBytes, answers, verdict),
    );
  return classifyAll(ctx.lockPrefixBytes, answers, verdict);
}

/** Throws the first rejection among settled results, if any. */
function throwFirstRejected(results: readonly PromiseSettledResult<void>[]): void {
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}

/**
 * Reads one slot group (or what is left of one) into `answers`, then `next`: `done` once every
 * chunk is taken, `failed` on a failed chunk. Not an async function: an in-flight read keeps
 * one callback, not a suspended frame.
 */
function readGroup<T>(
  ctx: ReadParts,
  op: string,
  group: readonly string[],
  answers: Map<string, Answer>,
  locking: ReadLocking | undefined,
  next: Next<T>,
  alone = false,
): Promise<T> {
  try {
    return sendGroup(ctx, op, group, answers, locking, next, alone);
  } catch (error) {
    return Promise.reject(error).then(undefined, next.failed);
  }
}

/**
 * `readGroup`'s send; may throw before anything is sent. Its scripts merge with other callers'
 * of this tick (`evalMerged`), unless it is sent `alone`: a resend of one whose merged script
 * failed as a whole.
 */
function sendGroup<T>(
  ctx: ReadParts,
  op: string,
  group: readonly string[],
  answers: Map<string, Answer>,
  locking: ReadLocking | undefined,
  next: Next<T>,
  alone: boolean,
): Promise<T> {
  const chunks = group.length <= MAX_KEYS_PER_SCRIPT ? [group] : chunkKeys(group);
  const tokens = chunks.map((chunk) => tokensFor(chunk, locking));
  const calls = chunks.map((chunk, index) =>
    locking === undefined
      ? { script: readValuesScript, keys: chunk, args: [], merge: READ_VALUES_MERGE }
      : {
          script: readOrLockScript,
          keys: chunk,
          args: [String(locking.lockTTLMs), ...tokens[index]!],
          merge: READ_OR_LOCK_MERGE,
        },
  );
  // Timed out, then answered after all: release the locks it took, which nobody holds.
  const onLate =
    locking === undefined
      ? undefined
      : (late: Array<RedisReply | Error>) => {
          chunks.forEach((chunk, index) => {
            undoLocks(locking, op, chunk, lockedBy(late[index], tokens[index]!));
          });
        };
  const sent = alone
    ? ctx.driver.evalScripts(op, calls, 'read', onLate)
    : ctx.driver.evalMerged(op, calls, 'read', onLate);
  return sent.then((replies) => {
    // One chunk (the usual read) that needs no retry: taken, or its failure passed on, as it is.
    if (chunks.length === 1 && !needsResend(group, replies[0])) {
      try {
        takeChunk(ctx, op, group, replies[0], tokens[0]!, answers, locking);
      } catch (error) {
        return next.failed(error);
      }
      return next.done();
    }
    return takeChunks(ctx, op, chunks, tokens, replies, answers, locking).then(next.done, next.failed);
  }, next.failed);
}

/** Several chunks' replies (or one to retry key by key) into `answers`; rejects on the first failed chunk. */
async function takeChunks(
  ctx: ReadParts,
  op: string,
  chunks: readonly (readonly string[])[],
  tokens: readonly (readonly string[])[],
  replies: readonly (RedisReply | Error | undefined)[],
  answers: Map<string, Answer>,
  locking: ReadLocking | undefined,
): Promise<void> {
  // Every chunk's reply is taken (no lock reply goes unseen) before the first failure, in chunk order, is thrown.
  const outcomes: Array<Promise<void> | { readonly error: unknown } | undefined> = chunks.map(
    (chunk, index) => {
      const reply = replies[index];
      if (needsResend(chunk, reply)) {
        // The slot is being migrated and its keys are split between the two nodes (or, on the
        // target, not all there yet): a read of one key is always served, by one node or the other.
        // (A script refused with TRYAGAIN did not run: it locked nothing.)
        if (!(reply instanceof MergedReplyError))
          return allSettledOrThrow(
            chunk.map((key) => readGroup(ctx, op, [key], answers, locking, ONLY, true)),
          );
        // Or the chunk went in a merged script that failed as a whole: the locks it may have
        // taken are released first (sent before the resend, so they run first), then the chunk
        // is read again as it would have been on its own (key by key if that is TRYAGAIN).
        undoLocks(locking, op, chunk, lockedBy(reply, tokens[index]!));
        return readGroup(ctx, op, chunk, answers, locking, ONLY, true);
      }
      try {
        takeChunk(ctx, op, chunk, reply, tokens[index]!, answers, locking);
        return undefined;
      } catch (error) {
        return { error };
      }
    },
  );
  const retries = outcomes.filter((outcome) => outcome instanceof Promise);
  if (retries.length > 0) await Promise.allSettled(retries);
  for (const outcome of outcomes) {
    if (outcome === undefined) continue;
    // A retry has settled by now: awaiting it throws its failure.
    if (outcome instanceof Promise) await outcome;
    else throw outcome.error;
  }
}

/** One chunk's reply into `answers`: each key's value and PTTL, or the lock it took for us. Throws on a failed chunk. */
function takeChunk(
  ctx: ReadParts,
  op: string,
  chunk: readonly string[],
  reply: RedisReply | Error | undefined,
  tokens: readonly string[],
  answers: Map<string, Answer>,
  locking: ReadLocking | undefined,
): void {
  if (reply instanceof Error || !Array.isArray(reply) || reply.length !== chunk.length * 2) {
    // A script that failed midway may have locked its first keys.
    undoLocks(locking, op, chunk, tokens);
    ctx.metrics.redisError('read');
    throw new RedisCommandError(op, chunk.length === 1 ? chunk[0] : chunk, parseProblem(reply, chunk.length));
  }
  for (let i = 0; i < chunk.length; i++) {
    const key = chunk[i]!;
    const raw = reply[2 * i] ?? null;
    const pttl = reply[2 * i + 1] ?? null;
    const token = tokens[i]!;
    if (raw !== null || pttl !== LOCKED_FOR_US || token === '' || locking === undefined) {
      answers.set(key, [raw, pttl]);
      continue;
    }
    // Ours at once: released by whoever fails or gives up from here on.
    const lock = locking.locks.hold(op, key, token);
    if (lock !== undefined) answers.set(key, lock);
  }
}

/** Waits for every one of `work` (no lock reply goes unseen), then throws the first failure, if any. */
async function allSettledOrThrow(work: readonly Promise<void>[]): Promise<void> {
  const results = await Promise.allSettled(work);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}

/** A chunk's reply that calls for a read again: TRYAGAIN on several keys (key by key), or a merged script's failure (the chunk alone). */
const needsResend = (chunk: readonly string[], reply: RedisReply | Error | undefined): boolean =>
  reply instanceof MergedReplyError || (chunk.length > 1 && isTryAgain(reply));

function parseProblem(reply: RedisReply | Error | undefined, keys: number): Error {
  if (reply instanceof Error) return reply;
  return new Error(
    `unexpected read reply (expected ${keys * 2} entries): ${JSON.stringify(reply)?.slice(0, 200)}`,
  );
}
