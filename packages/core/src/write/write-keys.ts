import type { EngineContext } from '../engine/engine-context.js';
import { ReentrantLoadError } from '../errors/reentrant-load-error.js';
import { ownKeyAmong, runAsLoaderOf } from '../flight/loader-scope.js';
import type { Operation } from '../lifecycle/operation.js';
import { untilAborted } from '../lifecycle/until-aborted.js';
import { type HeldLock, takeLocks } from '../lock/held-lock.js';
import { encodeValues } from '../value/encode-values.js';
import { failedErrors } from '../value/loader-failures.js';
import { waitForChange } from '../wait/wait-for-change.js';
import { writeLoaded } from './write-loaded.js';
import { acquireWriteLocks, heldOf } from './write-lock.js';
import { dropLocal } from './write-per-key.js';
import type { WriteOutcome, WriteRequest } from './write-request.js';

const utf8 = new TextEncoder();
const byteOrder = (a: string, b: string) => Buffer.compare(utf8.encode(a), utf8.encode(b));

/**
 * Writes keys through a loader under write locks, as an operation of the connection whose
 * signal aborts with the caller's signal or on close. Locks are taken in byte order of the
 * keys, as the Go library does, so that writers sharing keys never deadlock: a writer holds a
 * prefix of its keys, waits for the first it could not take (the lock manager renews the
 * rest), and lets go of any it took past that one. A lock never replaces another lock: a read
 * or write in flight is waited for. Then one loader call, a CAS per key, and every lock not
 * turned into a value is rolled back in `finally` — the prior value with the life it had left,
 * or no key. An abort rejects at once with its reason, the loader's late result is dropped,
 * and the rollback runs while the connection is still open.
 * Throws for a failure of the whole call (the loader's error, a Redis error, abort, close);
 * per-key failures are in the outcome.
 */
export async function writeKeys(ctx: EngineContext, req: WriteRequest): Promise<WriteOutcome> {
  const sorted = [...req.originals.keys()].sort(byteOrder);
  const own = ownKeyAmong(ctx.flights, sorted);
  if (own !== undefined) throw new ReentrantLoadError(req.op, req.originals.get(own));
  const operation = ctx.lifecycle.begin(req.op, [...req.originals.values()], req.signal);
  dropLocal(ctx, sorted);
  const held = new Map<string, HeldLock>();
  try {
    await acquireInOrder(ctx, operation, req, sorted, held);
    return await loadAndWrite(ctx, req, sorted, held, operation.signal);
  } finally {
    await ctx.locks.release(req.op, held.values());
    operation.end();
  }
}

async function acquireInOrder(
  ctx: EngineContext,
  operation: Operation,
  req: WriteRequest,
  sorted: readonly string[],
  held: Map<string, HeldLock>,
): Promise<void> {
  const { op, view } = req;
  const signal = operation.signal;
  let remaining = sorted;
  while (remaining.length > 0) {
    signal.throwIfAborted();
    const waiters = new Map(remaining.map((key) => [key, ctx.hub.register(key)]));
    try {
      const acquiring = acquireWriteLocks(ctx, op, remaining);
      operation.defer(acquiring);
      const taken = await untilAborted(acquiring, signal, undefined, (late) =>
        operation.defer(ctx.locks.release(op, heldOf(late))),
      );
      for (const [key, lock] of taken) if (lock !== undefined) held.set(key, lock);
      const blocked = remaining.find((key) => taken.get(key) === undefined);
      if (blocked === undefined) return;
      const past = remaining.filter((key) => byteOrder(key, blocked) > 0 && taken.get(key) !== undefined);
      await ctx.locks.release(op, takeLocks(held, past));
      ctx.metrics.lockContended(1, view);
      await waitForChange(ctx, op, [waiters.get(blocked)!], signal, view);
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
  held: Map<string, HeldLock>,
  signal: AbortSignal,
): Promise<WriteOutcome> {
  const started = performance.now();
  let values: Map<string, unknown>;
  try {
    values = await untilAborted(
      runAsLoaderOf(ctx.flights, keys, () => req.load([...keys], signal)),
      signal,
    );
  } catch (error) {
    if (!signal.aborted) ctx.metrics.loaderErrors(keys.length, req.view);
    throw error;
  } finally {
    ctx.metrics.loaderDuration(performance.now() - started, req.view);
  }
  const elapsedMs = performance.now() - started;
  signal.throwIfAborted();
  const { encoded, failed } = encodeValues(req.codec, keys, values);
  if (failed.size > 0) ctx.metrics.loaderErrors(failed.size, req.view);
  const originalOf = (key: string) => req.originals.get(key);
  const errors = failedErrors(req.op, failed, originalOf);
  const deltaNs = (elapsedMs * 1e6) / Math.max(1, values.size);
  return writeLoaded(ctx, req, held, { values, encoded, deltaNs }, errors);
}
