import type { RedisReply } from '../driver.js';
import type { EngineContext } from '../engine/engine-context.js';
import { messageOf } from '../errors/errors.js';
import { onlyOwnPush } from '../lock/cas-values.js';
import { encodeValues } from '../value/encode-values.js';
import { keepWritten } from '../value/keep-written.js';
import { wrapAll } from '../value/wrap-all.js';
import { refreshSetScript } from '../wire/scripts/refresh-set.js';
import { unlockScript } from '../wire/scripts/unlock.js';
import type { RefreshJob } from './refresh-job.js';

/** The refresh lock of a data key: `<refreshLockPrefix>{<dataKey>}`, as the Go library names it. */
export function refreshLockKey(prefix: string, key: string): string {
  return `${prefix}{${key}}`;
}

/**
 * Runs one refresh job: takes the refresh lock of each key (SET NX; held elsewhere →
 * `refreshSkipped`), calls the loader once for the keys it got, within the refresh timeout
 * (default: the ttl of the call that triggered it), and writes each value back only over the
 * exact value seen when it was triggered. The refresh lock lives as long as the refresh may
 * run, so no other process starts a second one meanwhile; it is released by CAS on its token.
 */
export async function runRefresh(
  ctx: EngineContext,
  job: RefreshJob,
  keys: readonly string[],
  poolSignal: AbortSignal,
): Promise<void> {
  if (poolSignal.aborted) return;
  const timeoutMs = ctx.options.refreshTimeoutMs ?? job.ttlMs;
  const locked = await lockForRefresh(ctx, keys, Math.max(ctx.options.lockTTLMs, timeoutMs));
  if (locked.size === 0) return;
  const lockedKeys = [...locked.keys()];
  try {
    const signal = AbortSignal.any([poolSignal, AbortSignal.timeout(timeoutMs)]);
    const started = performance.now();
    let pending: Promise<Map<string, unknown>>;
    try {
      pending = job.load(lockedKeys, signal);
    } catch (error) {
      ctx.logger.error('redcache: refresh loader threw', { keys: lockedKeys, error: messageOf(error) });
      for (const key of lockedKeys) ctx.metrics.refreshPanicked(key);
      return;
    }
    let values: Map<string, unknown>;
    try {
      values = await pending;
    } catch (error) {
      ctx.logger.warn('redcache: refresh loader failed', { keys: lockedKeys, error: messageOf(error) });
      for (const key of lockedKeys) ctx.metrics.refreshError(key);
      return;
    }
    if (ctx.closeSignal.aborted) return;
    const { encoded, failed } = encodeValues(job.codec, lockedKeys, values);
    for (const [key, cause] of failed) if (cause !== undefined) ctx.metrics.refreshError(key);
    const deltaNs = ((performance.now() - started) * 1e6) / Math.max(1, values.size);
    await writeBack(ctx, job, encoded, deltaNs);
  } finally {
    if (!ctx.closeSignal.aborted) await releaseRefreshLocks(ctx, locked);
  }
}

/** Takes refresh locks; returns refresh-lock key and token by data key. */
async function lockForRefresh(
  ctx: EngineContext,
  keys: readonly string[],
  pxMs: number,
): Promise<Map<string, { lockKey: string; token: string }>> {
  const locks = new Map(
    keys.map((key) => [
      key,
      { lockKey: refreshLockKey(ctx.options.refreshLockPrefix, key), token: ctx.tokens.next() },
    ]),
  );
  const byLockKey = new Map([...locks].map(([key, lock]) => [lock.lockKey, key]));
  const locked = new Map<string, { lockKey: string; token: string }>();
  let skipped = 0;
  await Promise.all(
    ctx.driver.groupBySlot(byLockKey.keys()).map(async (group) => {
      let replies: Array<RedisReply | Error>;
      try {
        replies = await ctx.driver.send(
          'refresh',
          group.map((lockKey) => {
            const lock = locks.get(byLockKey.get(lockKey)!)!;
            return { key: lockKey, args: ['SET', lockKey, lock.token, 'NX', 'PX', String(pxMs)] };
          }),
        );
      } catch {
        for (const lockKey of group) ctx.metrics.refreshError(byLockKey.get(lockKey)!);
        return;
      }
      group.forEach((lockKey, i) => {
        const key = byLockKey.get(lockKey)!;
        const reply = replies[i] ?? null;
        if (reply === null) skipped++;
        else if (reply instanceof Error) ctx.metrics.refreshError(key);
        else locked.set(key, locks.get(key)!);
      });
    }),
  );
  if (skipped > 0) ctx.metrics.refreshSkipped(skipped);
  return locked;
}

async function writeBack(
  ctx: EngineContext,
  job: RefreshJob,
  encoded: ReadonlyMap<string, string | Uint8Array>,
  deltaNs: number,
): Promise<void> {
  const envelopes = wrapAll(encoded, deltaNs);
  const ttl = String(job.ttlMs);
  const answered: Array<{ group: string[]; replies: Array<RedisReply | Error> }> = [];
  const { verdict } = await ctx.hub.track(envelopes.keys(), () =>
    Promise.all(
      ctx.driver.groupBySlot(envelopes.keys()).map(async (group) => {
        try {
          const replies = await ctx.driver.evalScripts(
            'refresh',
            group.map((key) => ({
              script: refreshSetScript,
              keys: [key],
              args: [envelopes.get(key)!, ttl, ctx.options.lockPrefix, job.expected.get(key)!],
            })),
          );
          answered.push({ group, replies });
        } catch {
          for (const key of group) ctx.metrics.refreshError(key);
        }
      }),
    ),
  );
  for (const { group, replies } of answered) {
    group.forEach((key, i) => {
      const reply = replies[i];
      if (reply instanceof Error || (reply !== 0 && reply !== 1)) {
        ctx.metrics.refreshError(key);
      } else if (reply === 1) {
        const written = {
          key,
          original: job.originals.get(key),
          payload: encoded.get(key)!,
          raw: envelopes.get(key)!,
          deltaNs,
        };
        try {
          keepWritten(ctx, 'refresh', job.codec, written, job.ttlMs, onlyOwnPush(verdict, key));
        } catch {
          // Written, but the codec cannot read it back: nothing to keep locally.
        }
      }
    });
  }
}

async function releaseRefreshLocks(
  ctx: EngineContext,
  locked: ReadonlyMap<string, { lockKey: string; token: string }>,
): Promise<void> {
  const byLockKey = new Map([...locked.values()].map((lock) => [lock.lockKey, lock.token]));
  await Promise.all(
    ctx.driver.groupBySlot(byLockKey.keys()).map(async (group) => {
      try {
        await ctx.driver.evalScripts(
          'refresh',
          group.map((lockKey) => ({
            script: unlockScript,
            keys: [lockKey],
            args: [byLockKey.get(lockKey)!],
          })),
        );
      } catch (error) {
        ctx.logger.warn('redcache: refresh lock release failed', { keys: group, error: messageOf(error) });
      }
    }),
  );
}
