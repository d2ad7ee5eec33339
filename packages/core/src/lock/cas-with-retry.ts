import { asIs, type CasParts, type CasResult, casValues } from './cas-values.js';
import type { HeldLock } from './held-lock.js';

/**
 * `casValues`, with keys that failed sent once more, each in a set-if-locked of its own: the
 * CAS compares our lock's token, so a resend is safe — on a new connection after the first was lost, it writes the value if our
 * lock is still there, or answers `lost` if the first one ran (then the value is there).
 */
export function casWithRetry<T = Map<string, CasResult>>(
  ctx: CasParts,
  op: string,
  locks: ReadonlyMap<string, HeldLock>,
  envelopes: ReadonlyMap<string, Uint8Array>,
  ttlMs: number | ReadonlyMap<string, number>,
  originalOf: (key: string) => unknown,
  next: (results: Map<string, CasResult>) => T | PromiseLike<T> = asIs as (
    results: Map<string, CasResult>,
  ) => T,
): Promise<T> {
  // In the CAS's own reaction, `next` too, not an async frame or a `then` of its own (one per
  // cold miss); the resend is the rare path.
  return casValues(ctx, op, locks, envelopes, ttlMs, originalOf, (results) => {
    let again: Map<string, Uint8Array> | undefined;
    for (const [key, result] of results) {
      if (!(result instanceof Error)) continue;
      again ??= new Map();
      again.set(key, envelopes.get(key)!);
    }
    if (again === undefined) return next(results);
    return resend(ctx, op, locks, again, ttlMs, originalOf, results).then(next);
  });
}

async function resend(
  ctx: CasParts,
  op: string,
  locks: ReadonlyMap<string, HeldLock>,
  again: ReadonlyMap<string, Uint8Array>,
  ttlMs: number | ReadonlyMap<string, number>,
  originalOf: (key: string) => unknown,
  results: Map<string, CasResult>,
): Promise<Map<string, CasResult>> {
  // Key by key: a chunk that failed as a whole (TRYAGAIN in a slot being migrated, say) is not sent whole again.
  for (const [key, result] of await casValues(ctx, op, locks, again, ttlMs, originalOf, asIs, true))
    results.set(key, result);
  return results;
}
