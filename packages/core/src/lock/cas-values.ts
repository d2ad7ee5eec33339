import type { MergeLayout } from '../driver/merge-layout.js';
import type { ScriptCall } from '../driver/script-call.js';
import type { RedisArgument, RedisReply } from '../driver.js';
import type { EngineContext } from '../engine/engine-context.js';
import { RedisCommandError } from '../errors/errors.js';
import type { PushVerdict } from '../invalidation/invalidation-hub.js';
import { ttlOfKey } from '../loader/store-plan.js';
import { chunkKeys } from '../read/chunk-keys.js';
import { setIfLockedScript } from '../wire/scripts/set-if-locked.js';
import { setIfLockedManyScript } from '../wire/scripts/set-if-locked-many.js';
import type { HeldLock } from './held-lock.js';

/** What the CAS of values needs. */
export type CasParts = Pick<EngineContext, 'driver' | 'hub' | 'metrics'>;

/**
 * Per key: written (and whether this process may keep the value: no one else wrote the key
 * before the reply was handled); our lock was gone (`lost`, counted as lockLost); or the error.
 */
export type CasResult = Written | 'lost' | Error;

export interface Written {
  readonly keep: boolean;
}

/**
 * Replaces our locks with values (envelopes; set-if-locked: CAS on the lock token, PX ttl: one
 * for every key, or each key's as its loader chose, see `planStore`), one pipeline per slot
 * group (a set-if-locked-many script per 16 of its keys), the groups concurrently. Whether a
 * written value may be kept is decided once every group has answered: another client's write to a key whose group answered
 * first still counts. Never throws: a failed group fails its keys with a `RedisCommandError`.
 */
export function casValues<T>(
  ctx: CasParts,
  op: string,
  locks: ReadonlyMap<string, HeldLock>,
  envelopes: ReadonlyMap<string, Uint8Array>,
  ttlMs: number | ReadonlyMap<string, number>,
  originalOf: (key: string) => unknown,
  next: (results: Map<string, CasResult>) => T | PromiseLike<T>,
  perKey = false,
): Promise<T> {
  // `then`s, not async frames (`hub.track` would add a second one): one call per cold miss.
  const keys = [...envelopes.keys()];
  let groups: string[][];
  try {
    groups = ctx.driver.groupBySlot(keys);
  } catch (error) {
    return Promise.reject(error);
  }
  const round = new CasRound(ctx, op, locks, envelopes, ttlMs, perKey);
  const verdict = ctx.hub.startTracking(keys);
  const finish = () => {
    ctx.hub.stopTracking(verdict);
    return next(round.finish(verdict, originalOf));
  };
  // `send` never rejects: each group's replies, or its error, land in `round`. One group (the
  // usual CAS): its replies are taken, finished and handed to `next` in one reaction.
  if (groups.length === 1) return round.send(groups[0]!, finish);
  return Promise.all(groups.map((g) => round.send(g, nothing))).then(finish);
}

/**
 * Keys per set-if-locked-many script at most. What Redis spends per key written (its GET, SET,
 * PTTL and the invalidation it pushes) is about the same however the keys are sent; what a
 * script adds grows with the square of its keys (each read in it re-tracks every key it
 * declares, see MAX_KEYS_PER_SCRIPT), while each command saved spares the client a command's
 * encoding, reply and promise. Measured on 100 cold keys (Redis 7.0, tracking on): chunks of 4
 * cost the server what a command per key does, chunks of 16 a quarter more.
 */
export const MAX_KEYS_PER_CAS = 8;

/**
 * Compare-and-sets of different callers merge into set-if-locked-many scripts of up to
 * `MAX_KEYS_PER_CAS` keys (see script-merge.ts): a lock, a value and a ttl per key.
 */
const CAS_MERGE: MergeLayout = {
  many: setIfLockedManyScript,
  shared: 0,
  argsPerKey: 3,
  repliesPerKey: 1,
  maxKeys: MAX_KEYS_PER_CAS,
};

/** The results as they are: a `next` that hands them on unchanged. */
export const asIs = <T>(value: T): T => value;
const nothing = (): void => {};

/** One `casValues` call's sends: each key's reply as it lands (or its group's error). */
class CasRound {
  readonly results = new Map<string, CasResult | RedisReply>();
  /** Keys of a group whose send failed as a whole: their result is that error (made for the first). */
  failed: Set<string> | undefined;
  readonly #ctx: CasParts;
  readonly #op: string;
  readonly #locks: ReadonlyMap<string, HeldLock>;
  readonly #envelopes: ReadonlyMap<string, Uint8Array>;
  readonly #ttlMs: number | ReadonlyMap<string, number>;
  /** The one ttl of every key, as an argument; undefined when each key has its own. */
  readonly #ttl: string | undefined;
  /** Each key in a set-if-locked of its own (a resend: a failed chunk is retried key by key). */
  readonly #perKey: boolean;

  constructor(
    ctx: CasParts,
    op: string,
    locks: ReadonlyMap<string, HeldLock>,
    envelopes: ReadonlyMap<string, Uint8Array>,
    ttlMs: number | ReadonlyMap<string, number>,
    perKey: boolean,
  ) {
    this.#perKey = perKey;
    this.#ctx = ctx;
    this.#op = op;
    this.#locks = locks;
    this.#envelopes = envelopes;
    this.#ttlMs = ttlMs;
    this.#ttl = typeof ttlMs === 'number' ? String(ttlMs) : undefined;
  }

  /** Turns each reply into its result, by the verdict on every group's pushes. */
  finish(verdict: PushVerdict, originalOf: (key: string) => unknown): Map<string, CasResult> {
    const { results, failed } = this;
    for (const [key, reply] of results)
      if (failed?.has(key) !== true)
        results.set(
          key,
          casResult(this.#ctx, this.#op, key, reply as RedisReply | Error, verdict, originalOf),
        );
    return results as Map<string, CasResult>;
  }

  /**
   * One slot group's pipeline (a `then`, not an async frame: one per cold miss), then `after`
   * in the same reaction. Rejects only as `after` does. A group of several keys goes as
   * set-if-locked-many, a script per `MAX_KEYS_PER_SCRIPT` keys (one command, not one per key);
   * one key, or every key with `perKey` (a resend), as set-if-locked.
   */
  send<T>(group: readonly string[], after: () => T | PromiseLike<T>): Promise<T> {
    let sending: Promise<Array<RedisReply | Error>>;
    let chunks: readonly (readonly string[])[] = [group];
    try {
      if (group.length > 1)
        chunks = this.#perKey ? group.map((key) => [key]) : chunkKeys(group, MAX_KEYS_PER_CAS);
      const calls = chunks.map((chunk) => this.#call(chunk));
      // Merged with other callers' of this tick; a resend (`perKey`) goes on its own.
      sending = this.#perKey
        ? this.#ctx.driver.evalScripts(this.#op, calls, 'set')
        : this.#ctx.driver.evalMerged(this.#op, calls, 'set');
    } catch (error) {
      sending = Promise.reject(error);
    }
    return sending.then(
      (answered) => {
        for (let j = 0; j < chunks.length; j++) this.#take(chunks[j]!, answered[j] ?? null);
        return after();
      },
      (error: unknown) => {
        this.failed ??= new Set();
        for (const key of group) {
          this.results.set(key, error as Error);
          this.failed.add(key);
        }
        return after();
      },
    );
  }

  /** The script call that writes `chunk`'s values: set-if-locked for one key, else set-if-locked-many. */
  #call(chunk: readonly string[]): ScriptCall {
    if (chunk.length === 1)
      return { script: setIfLockedScript, keys: chunk, args: this.#argsOf(chunk[0]!), merge: CAS_MERGE };
    return {
      script: setIfLockedManyScript,
      keys: chunk,
      args: chunk.flatMap((key) => this.#argsOf(key)),
      merge: CAS_MERGE,
    };
  }

  /** One key's lock, value and ttl, as the scripts take them. */
  #argsOf(key: string): RedisArgument[] {
    return [
      this.#locks.get(key)!.token,
      this.#envelopes.get(key)!,
      this.#ttl ?? String(ttlOfKey(this.#ttlMs, key)),
    ];
  }

  /**
   * A chunk's reply, into each of its keys' result: set-if-locked's as it is; set-if-locked-many's
   * entry per key, or (an error, or a reply of another shape) the whole reply for every key.
   */
  #take(chunk: readonly string[], reply: RedisReply | Error): void {
    if (chunk.length === 1) {
      this.results.set(chunk[0]!, reply);
      return;
    }
    const perKey = Array.isArray(reply) && reply.length === chunk.length;
    for (let i = 0; i < chunk.length; i++) this.results.set(chunk[i]!, perKey ? (reply[i] ?? null) : reply);
  }
}

const KEEP: Written = Object.freeze({ keep: true });
const DO_NOT_KEEP: Written = Object.freeze({ keep: false });

function casResult(
  ctx: CasParts,
  op: string,
  key: string,
  reply: RedisReply | Error,
  verdict: PushVerdict,
  originalOf: (key: string) => unknown,
): CasResult {
  if (reply === 1) return onlyOwnPush(verdict, key) ? KEEP : DO_NOT_KEEP;
  if (reply === 0 || reply === null) {
    ctx.metrics.lockLost(key);
    return 'lost';
  }
  ctx.metrics.redisError('set');
  const cause = reply instanceof Error ? reply : new Error(`unexpected CAS reply ${JSON.stringify(reply)}`);
  return new RedisCommandError(op, originalOf(key), cause);
}

/**
 * True when the only push for `key` while our write was in flight can be our own: a write
 * invalidates its writer once (the script re-arms tracking after its SET), so a second push,
 * or a flush, means another client changed the key after us and our value is already stale.
 */
export function onlyOwnPush(verdict: PushVerdict, key: string): boolean {
  return verdict.pushes(key) <= 1;
}
