import type { EngineContext } from '../engine/engine-context.js';
import { LockLostError } from '../errors/errors.js';
import { choicesOf } from '../loader/loader-choices.js';
import { planStore, ttlOfKey } from '../loader/store-plan.js';
import { casWithRetry } from '../lock/cas-with-retry.js';
import { type HeldLock, takeLocks } from '../lock/held-lock.js';
import { keepWritten, writtenOf } from '../value/keep-written.js';
import { wrapAll } from '../value/wrap-all.js';
import type { WriteOutcome, WriteRequest } from './write-request.js';

/** A write's loaded values: encoded, the loader's answer they came from, and its compute time. */
export interface LoadedWrite {
  /** The loader's answer as it resolved (its choices are tied to it, see `choicesOf`). */
  readonly values: ReadonlyMap<string, unknown>;
  readonly encoded: ReadonlyMap<string, string | Uint8Array>;
  readonly deltaNs: number;
}

/**
 * Replaces a write's locks with its loaded values by CAS, each with the ttl its loader chose
 * (`setTtl`, else the call's; the near cache follows it). A key whose loader chose
 * `skipStore` is left empty: its write lock is deleted, the value it replaced not put back
 * (the write meant to replace it), and the key counts as written. `errors` (the keys the
 * loader failed) gains each key whose CAS failed or whose lock was lost.
 */
export async function writeLoaded(
  ctx: EngineContext,
  req: WriteRequest,
  held: Map<string, HeldLock>,
  loaded: LoadedWrite,
  errors: Map<string, Error>,
): Promise<WriteOutcome> {
  const { encoded, deltaNs } = loaded;
  const originalOf = (key: string) => req.originals.get(key);
  const envelopes = wrapAll(encoded, deltaNs);
  const plan = planStore(envelopes, req.ttlMs, choicesOf(loaded.values));
  const succeeded: string[] = [];
  const emptying =
    plan.skipped.length === 0
      ? undefined
      : ctx.locks.release(req.op, takeLocks(held, plan.skipped), { restore: false });
  const results =
    plan.stored.size === 0
      ? new Map()
      : await casWithRetry(ctx, req.op, held, plan.stored, plan.ttlMs, originalOf);
  for (const [key, result] of results) {
    if (result instanceof Error) {
      errors.set(key, result);
      continue;
    }
    ctx.locks.forget(takeLocks(held, [key]));
    if (result === 'lost') {
      errors.set(key, new LockLostError(req.op, originalOf(key)));
      continue;
    }
    succeeded.push(key);
    const written = writtenOf(key, originalOf(key), encoded, envelopes, deltaNs);
    try {
      keepWritten(ctx, req.op, req.codec, written, ttlOfKey(plan.ttlMs, key), result.keep);
    } catch {
      // Written, but the codec cannot read it back: nothing to keep locally.
    }
  }
  if (emptying !== undefined) {
    await emptying;
    succeeded.push(...plan.skipped);
  }
  return { succeeded, failed: errors };
}
