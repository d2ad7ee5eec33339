import type { RedisReply } from '../driver.js';
import type { EngineContext } from '../engine/engine-context.js';
import { RedisCommandError } from '../errors/errors.js';
import { startsWithBytes, unwrapEnvelope } from '../wire/envelope.js';
import { readValuesScript } from '../wire/scripts/read-values.js';
import { chunkKeys } from './chunk-keys.js';

/** What a tracked read needs. */
export type ReadParts = Pick<EngineContext, 'driver' | 'hub' | 'metrics' | 'lockPrefixBytes'>;

export type KeyState =
  | {
      readonly kind: 'value';
      readonly payload: Uint8Array;
      /** The stored bytes, envelope and all. */
      readonly raw: Uint8Array;
      readonly deltaNs: number;
      /** ms left in Redis: -1 persistent, -2 gone. */
      readonly pttlMs: number;
      /** False when the key was invalidated while the read was in flight: return it, do not cache it. */
      readonly storable: boolean;
    }
  | { readonly kind: 'missing' }
  /** A lock. `pttlMs` -1 means it never expires: no redcache wrote it, and nobody will release it. */
  | { readonly kind: 'locked'; readonly pttlMs: number };

const encoder = new TextEncoder();

/** A key's read, as Redis answered it: the value (or null) and its PTTL. */
type Answer = readonly [raw: RedisReply, pttl: RedisReply];

/**
 * Reads keys from Redis (value and PTTL, atomically): per slot group, scripts of at most
 * `MAX_KEYS_PER_SCRIPT` keys sent as one pipeline, the groups concurrently. Each read arms
 * client tracking, so a later change is pushed to us. Whether a value may be stored is
 * decided once every group has answered: a push that lands in between counts.
 */
export async function readKeys(
  ctx: ReadParts,
  op: string,
  keys: readonly string[],
): Promise<Map<string, KeyState>> {
  const answers = new Map<string, Answer>();
  const { verdict } = await ctx.hub.track(keys, () =>
    Promise.all(ctx.driver.groupBySlot(keys).map((group) => readGroup(ctx, op, group, answers))),
  );
  const states = new Map<string, KeyState>();
  for (const [key, [raw, pttl]] of answers) states.set(key, classify(ctx, raw, pttl, verdict.isClean(key)));
  return states;
}

/** Reads one slot group (or what is left of one) into `answers`; throws on a failed chunk. */
async function readGroup(
  ctx: ReadParts,
  op: string,
  group: readonly string[],
  answers: Map<string, Answer>,
): Promise<void> {
  const chunks = chunkKeys(group);
  const replies = await ctx.driver.evalScripts(
    op,
    chunks.map((chunk) => ({ script: readValuesScript, keys: chunk, args: [] })),
    'read',
  );
  await Promise.all(
    chunks.map(async (chunk, index) => {
      const reply = replies[index];
      if (chunk.length > 1 && isTryAgain(reply)) {
        // The slot is being migrated and its keys are split between the two nodes (or, on the
        // target, not all there yet): a read of one key is always served, by one node or the other.
        await Promise.all(chunk.map((key) => readGroup(ctx, op, [key], answers)));
        return;
      }
      if (reply instanceof Error || !Array.isArray(reply) || reply.length !== chunk.length * 2) {
        ctx.metrics.redisError('read');
        throw new RedisCommandError(
          op,
          chunk.length === 1 ? chunk[0] : chunk,
          parseProblem(reply, chunk.length),
        );
      }
      chunk.forEach((key, i) => {
        answers.set(key, [reply[2 * i] ?? null, reply[2 * i + 1] ?? null]);
      });
    }),
  );
}

function classify(ctx: ReadParts, raw: RedisReply, pttl: RedisReply, clean: boolean): KeyState {
  if (raw === null) return { kind: 'missing' };
  const bytes = typeof raw === 'string' ? encoder.encode(raw) : raw;
  if (!(bytes instanceof Uint8Array)) return { kind: 'missing' };
  const pttlMs = typeof pttl === 'number' ? pttl : -2;
  if (startsWithBytes(bytes, ctx.lockPrefixBytes)) return { kind: 'locked', pttlMs };
  const { payload, deltaNs } = unwrapEnvelope(bytes);
  return { kind: 'value', payload, raw: bytes, deltaNs, pttlMs, storable: clean };
}

const isTryAgain = (reply: RedisReply | Error | undefined): boolean =>
  reply instanceof Error && reply.message.startsWith('TRYAGAIN');

function parseProblem(reply: RedisReply | Error | undefined, keys: number): Error {
  if (reply instanceof Error) return reply;
  return new Error(
    `unexpected read reply (expected ${keys * 2} entries): ${JSON.stringify(reply)?.slice(0, 200)}`,
  );
}
