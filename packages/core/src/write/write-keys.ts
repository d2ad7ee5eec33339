import type { EngineContext } from '../engine/engine-context.js';
import { LockLostError } from '../errors/errors.js';
import { casValues } from '../lock/cas-values.js';
import { type HeldLock, takeLocks } from '../lock/held-lock.js';
import { forgetLocks, releaseLocks } from '../lock/lock-ops.js';
import { renewLocks } from '../lock/lock-renewal.js';
import { encodeValues } from '../value/encode-values.js';
import { keepWritten } from '../value/keep-written.js';
import { failedErrors } from '../value/loader-failures.js';
import { wrapAll } from '../value/wrap-all.js';
import { waitForChange } from '../wait/wait-for-change.js';
import { acquireWriteLocks } from './write-lock.js';
import type { WriteOutcome, WriteRequest } from './write-request.js';

const utf8 = new TextEncoder();
const byteOrder = (a: string, b: string) => Buffer.compare(utf8.encode(a), utf8.encode(b));

/**
 * Writes keys through a loader under write locks. Locks are taken in byte order of the keys,
 * as the Go library does, so that writers sharing keys never deadlock: a writer holds a
 * prefix of its keys, waits for the first it could not take (renewing the rest), and lets go
 * of any it took past that one. A lock never replaces another lock: a read or write in
 * flight is waited for. Then one loader call, a CAS per key, and every lock not turned into
 * a value is rolled back in `finally` — the prior value with the life it had left, or no key.
 * Throws for a failure of the whole call (the loader's error, a Redis error, abort, close);
 * per-key failures are in the outcome.
 */
export async function writeKeys(ctx: EngineContext, req: WriteRequest): Promise<WriteOutcome> {
  const signal = req.signal === undefined ? ctx.closeSignal : AbortSignal.any([req.signal, ctx.closeSignal]);
  const sorted = [...req.originals.keys()].sort(byteOrder);
  for (const key of sorted) ctx.nearCache?.delete(key);
  const held = new Map<string, HeldLock>();
  const unreleased = new Map<string, HeldLock>();
  try {
    await acquireInOrder(ctx, req.op, sorted, held, unreleased, signal);
    return await loadAndWrite(ctx, req, sorted, held, unreleased, signal);
  } finally {
    if (!ctx.closeSignal.aborted) await releaseLocks(ctx, unreleased);
    forgetLocks(ctx, held);
  }
}

async function acquireInOrder(
  ctx: EngineContext,
  op: string,
  sorted: readonly string[],
  held: Map<string, HeldLock>,
  unreleased: Map<string, HeldLock>,
  signal: AbortSignal,
): Promise<void> {
  let remaining = sorted;
  while (remaining.length > 0) {
    signal.throwIfAborted();
    const waiters = new Map(remaining.map((key) => [key, ctx.hub.register(key)]));
    try {
      const taken = await acquireWriteLocks(ctx, op, remaining);
      for (const [key, lock] of taken) {
        if (lock === undefined) continue;
        held.set(key, lock);
        unreleased.set(key, lock);
      }
      const blocked = remaining.find((key) => taken.get(key) === undefined);
      if (blocked === undefined) return;
      const past = remaining.filter((key) => byteOrder(key, blocked) > 0 && taken.get(key) !== undefined);
      await releaseLocks(ctx, takeLocks(unreleased, past));
      for (const key of past) held.delete(key);
      ctx.metrics.lockContended(1);
      const renewal = renewLocks(ctx, held);
      try {
        await waitForChange(ctx, op, [waiters.get(blocked)!], signal);
      } finally {
        renewal.stop();
      }
      remaining = sorted.filter((key) => !held.has(key));
    } finally {
      for (const waiter of waiters.values()) waiter.dispose();
    }
  }
}

async function loadAndWrite(
  ctx: EngineContext,
  req: WriteRequest,
  keys: readonly string[],
  held: ReadonlyMap<string, HeldLock>,
  unreleased: Map<string, HeldLock>,
  signal: AbortSignal,
): Promise<WriteOutcome> {
  const renewal = renewLocks(ctx, held);
  const started = performance.now();
  let values: Map<string, unknown>;
  try {
    values = await req.load([...keys], signal);
  } catch (error) {
    ctx.metrics.loaderErrors(keys.length);
    throw error;
  } finally {
    renewal.stop();
    ctx.metrics.loaderDuration(performance.now() - started);
  }
  const elapsedMs = performance.now() - started;
  ctx.assertOpen(req.op);
  const { encoded, failed } = encodeValues(req.codec, keys, values);
  if (failed.size > 0) ctx.metrics.loaderErrors(failed.size);
  const originalOf = (key: string) => req.originals.get(key);
  const errors = failedErrors(req.op, failed, originalOf);
  const deltaNs = (elapsedMs * 1e6) / Math.max(1, values.size);
  const envelopes = wrapAll(encoded, deltaNs);
  const results = await casValues(ctx, req.op, held, envelopes, req.ttlMs, originalOf);
  const succeeded: string[] = [];
  for (const [key, result] of results) {
    if (!(result instanceof Error)) unreleased.delete(key);
    if (result === 'lost') errors.set(key, new LockLostError(req.op, originalOf(key)));
    else if (result instanceof Error) errors.set(key, result);
    else {
      succeeded.push(key);
      try {
        const written = {
          key,
          original: originalOf(key),
          payload: encoded.get(key)!,
          raw: envelopes.get(key)!,
          deltaNs,
        };
        keepWritten(ctx, req.op, req.codec, written, req.ttlMs, result.keep);
      } catch {
        // Written, but the codec cannot read it back: nothing to keep locally.
      }
    }
  }
  return { succeeded, failed: errors };
}
