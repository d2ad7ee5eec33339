import type { RedisReply } from '../driver.js';
import type { PushVerdict } from '../invalidation/invalidation-hub.js';
import type { HeldLock } from '../lock/held-lock.js';
import { startsWithBytes, unwrapEnvelope } from '../wire/envelope.js';

/** A key's state as a read found it (`readKeys`). */
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
  | { readonly kind: 'locked'; readonly pttlMs: number }
  /** Was missing, and the read locked it for us (read-or-lock): held by the lock manager from now on. */
  | { readonly kind: 'ours'; readonly lock: HeldLock };

/** A key's read, as Redis answered it: the value (or null) and its PTTL; or the lock it took for us. */
export type Answer = readonly [raw: RedisReply, pttl: RedisReply] | HeldLock;

const encoder = new TextEncoder();

/**
 * Each answer as its key's state, in place (the map is the read's result from then on): a value
 * is storable when `verdict` saw no push for its key; one starting with `lockPrefix` is a lock.
 */
export function classifyAll(
  lockPrefix: Uint8Array,
  answers: Map<string, Answer>,
  verdict: PushVerdict,
): Map<string, KeyState> {
  const states = answers as Map<string, Answer | KeyState>;
  for (const [key, answer] of answers)
    states.set(
      key,
      isHeld(answer)
        ? { kind: 'ours', lock: answer }
        : classify(lockPrefix, answer[0], answer[1], verdict.isClean(key)),
    );
  return states as Map<string, KeyState>;
}

const isHeld = (answer: Answer): answer is HeldLock => !Array.isArray(answer);

/** The locks a read took for us (`kind: 'ours'`), e.g. to release when its caller gave up. */
export function oursIn(states: ReadonlyMap<string, KeyState>): HeldLock[] {
  const ours: HeldLock[] = [];
  for (const state of states.values()) if (state.kind === 'ours') ours.push(state.lock);
  return ours;
}

function classify(lockPrefix: Uint8Array, raw: RedisReply, pttl: RedisReply, clean: boolean): KeyState {
  if (raw === null) return { kind: 'missing' };
  const bytes = typeof raw === 'string' ? encoder.encode(raw) : raw;
  if (!(bytes instanceof Uint8Array)) return { kind: 'missing' };
  const pttlMs = typeof pttl === 'number' ? pttl : -2;
  if (startsWithBytes(bytes, lockPrefix)) return { kind: 'locked', pttlMs };
  const { payload, deltaNs } = unwrapEnvelope(bytes);
  return { kind: 'value', payload, raw: bytes, deltaNs, pttlMs, storable: clean };
}
