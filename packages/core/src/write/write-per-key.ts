import type { RedisReply } from '../driver.js';
import type { EngineContext } from '../engine/engine-context.js';
import { RedisCommandError } from '../errors/errors.js';

/** What a one-command-per-key write needs. */
export type PerKeyParts = Pick<EngineContext, 'driver' | 'health' | 'lifecycle' | 'metrics' | 'nearCache'>;

/** Per-key outcome of a write. */
export interface KeyResults {
  readonly succeeded: string[];
  readonly failed: Map<string, Error>;
}

/**
 * One command per key, one pipeline per slot group, the groups concurrently, every reply
 * drained. The keys leave this process's near cache first (read-your-writes: see `dropLocal`); the pushes
 * for them reach every other process. An error reply or a failed group fails its keys. It
 * runs as an operation of the connection, so `close()` waits for it.
 */
export async function writePerKey(
  ctx: PerKeyParts,
  op: string,
  metricOp: string,
  keys: readonly string[],
  sendGroup: (group: string[]) => Promise<Array<RedisReply | Error>>,
  originalOf: (key: string) => unknown,
): Promise<KeyResults> {
  const operation = ctx.lifecycle.begin(op, keys.length === 1 ? originalOf(keys[0]!) : keys.map(originalOf));
  dropLocal(ctx, keys);
  const succeeded: string[] = [];
  const failed = new Map<string, Error>();
  try {
    await Promise.all(
      ctx.driver.groupBySlot(keys).map(async (group) => {
        let replies: Array<RedisReply | Error>;
        try {
          replies = await sendGroup(group);
        } catch (error) {
          for (const key of group) failed.set(key, error as Error);
          return;
        }
        group.forEach((key, i) => {
          const reply = replies[i] ?? null;
          if (reply instanceof Error) {
            ctx.metrics.redisError(metricOp);
            failed.set(key, new RedisCommandError(op, originalOf(key), reply));
          } else {
            succeeded.push(key);
          }
        });
      }),
    );
  } finally {
    operation.end();
  }
  return { succeeded, failed };
}

/**
 * A write's keys leave this process's near cache (fresh entries and fail-safe fallbacks: a
 * write of ours supersedes them) before it is sent. Not while the breaker is open: then the
 * send fails at once without reaching Redis, nothing changes there, and what the near cache
 * holds is fallbacks only (the breaker's flush demoted every entry), which stay valid.
 */
export function dropLocal(ctx: Pick<EngineContext, 'health' | 'nearCache'>, keys: Iterable<string>): void {
  if (ctx.health.down) return;
  for (const key of keys) ctx.nearCache?.delete(key);
}
