import type { RedisArgument, RedisReply } from '../driver.js';
import type { Script } from '../wire/scripts/script.js';
import { afterMicrotasks } from './after-microtasks.js';
import { MergedReplyError, type MergeLayout } from './merge-layout.js';
import { errorForPart } from './part-error.js';
import type { ScriptCall } from './script-call.js';

type Replies = Array<RedisReply | Error>;
type OnLate = (replies: Replies) => void;

/** What the merge sends through, and how it counts a failure shared by several callers. */
export interface MergeSender {
  slotOf(key: string): number;
  /**
   * Sends merged calls as one pipeline (as `RuntimeDriver.evalScripts` does): `answered` gets
   * the replies in the reaction to them, so each caller is answered as soon as a send of its
   * own would be; the promise settles as `evalScripts`' would (its rejection is the failure).
   */
  send(
    op: string,
    calls: readonly ScriptCall[],
    phase: string,
    onLate: OnLate | undefined,
    answered: (replies: Replies) => void,
  ): Promise<unknown>;
  /** Counts, for one more caller, what the failed send counted once (`redisError`, a timeout). */
  countAgain(error: unknown, op: string, phase: string): void;
}

/** One caller's `evalMerged`: its calls, and where their replies go. */
interface Part {
  readonly op: string;
  readonly phase: string;
  readonly calls: readonly ScriptCall[];
  readonly onLate: OnLate | undefined;
  readonly resolve: (replies: Replies) => void;
  readonly reject: (error: unknown) => void;
  /** Its replies as they are taken out of the merged ones (made when they come). */
  replies?: Replies;
}

/** One call of a part, in a merged call at `offset` (its first key's index there). */
interface Unit {
  readonly part: Part;
  readonly index: number;
  offset: number;
}

/** A call as sent: one unit's call as it is, or several units' merged. */
interface Merged {
  readonly call: ScriptCall;
  readonly units: readonly Unit[];
  readonly layout: MergeLayout;
}

/**
 * Merges the script calls made in one tick by different callers (each `get` of a burst of
 * misses reads and locks its one key) into calls of several keys: per layout, up to
 * `layout.maxKeys` keys per call, sent as one pipeline per phase and slot once the tick's
 * microtasks have run (on a single server every key has slot 0). The client's cost is per command (its encoding, reply and promise), so a burst of
 * 1,000 one-key reads costs it 63 commands, not 1,000. A call alone in its merge goes as it is.
 *
 * Each caller still sees its own send: its replies in its calls' order; a send that fails as a
 * whole (closed, breaker open, timed out, connection lost) rejects it with an error naming its
 * own operation and keys, counted for it as its own send would have been; a late reply reaches
 * its own `onLate`. A merged call that fails as a whole gives each of its calls a
 * `MergedReplyError`: its caller sends that call again on its own (see read-keys.ts, cas-values.ts).
 *
 * Used on a single server only (`RuntimeDriver.evalMerged`): on a cluster, keys of different
 * callers seldom share a slot, and a merged call in a slot being migrated is answered TRYAGAIN
 * for its keys split between two nodes (which the driver retries for seconds) where each
 * caller's own call of one key is not.
 */
export class ScriptMerge {
  readonly #sender: MergeSender;
  #parts: Part[] = [];

  constructor(sender: MergeSender) {
    this.#sender = sender;
  }

  /** Queues `calls` (each with a `merge` layout) for this tick's merged send. */
  add(op: string, calls: readonly ScriptCall[], phase: string, onLate: OnLate | undefined): Promise<Replies> {
    return new Promise((resolve, reject) => {
      if (this.#parts.length === 0) afterMicrotasks(this.#flush);
      this.#parts.push({ op, phase, calls, onLate, resolve, reject });
    });
  }

  readonly #flush = (): void => {
    const parts = this.#parts;
    this.#parts = [];
    // A pipeline per phase and slot (a part's calls share one: it is one slot group's).
    const pipelines = new Map<string, Map<number, Part[]>>();
    for (const part of parts) {
      let slot: number;
      try {
        slot = this.#sender.slotOf(part.calls[0]!.keys[0]!);
      } catch (error) {
        part.reject(error);
        continue;
      }
      push(getOrAdd(pipelines, part.phase), slot, part);
    }
    for (const bySlot of pipelines.values()) for (const same of bySlot.values()) this.#send(same);
  };

  /** One pipeline's parts (one phase, one slot): their calls merged, sent, each part settled. */
  #send(parts: readonly Part[]): void {
    const merged = mergeParts(parts);
    const withLate = parts.some((part) => part.onLate !== undefined);
    const answered = (replies: Replies): void => {
      try {
        for (const part of parts) part.replies = new Array<RedisReply | Error>(part.calls.length);
        for (let i = 0; i < merged.length; i++) distribute(merged[i]!, replies[i] ?? null, ownReplies);
      } catch (error) {
        // Called in the driver's own reaction: a throw here must not leave the callers waiting.
        for (const part of parts) part.reject(error);
        return;
      }
      for (const part of parts) part.resolve(part.replies!);
    };
    let sent: Promise<unknown>;
    try {
      sent = this.#sender.send(
        parts[0]!.op,
        merged.map((m) => m.call),
        parts[0]!.phase,
        withLate ? (late) => lateToParts(parts, merged, late) : undefined,
        answered,
      );
    } catch (error) {
      sent = Promise.reject(error);
    }
    sent.then(undefined, (error: unknown) => {
      parts.forEach((part, i) => {
        if (i > 0) this.#sender.countAgain(error, part.op, part.phase);
        part.reject(errorForPart(error, part.op, keyOfCalls(part.calls)));
      });
    });
  }
}

/** The parts' calls (of one slot), merged per layout and shared arguments, up to `maxKeys` keys a call. */
function mergeParts(parts: readonly Part[]): Merged[] {
  const buckets = new Map<Script, Map<string, Unit[]>>();
  for (const part of parts) {
    for (let index = 0; index < part.calls.length; index++) {
      const call = part.calls[index]!;
      const layout = call.merge!;
      push(getOrAdd(buckets, layout.many), sharedOf(call, layout), { part, index, offset: 0 });
    }
  }
  const merged: Merged[] = [];
  for (const byShared of buckets.values())
    for (const units of byShared.values()) merged.push(...packUnits(units));
  return merged;
}

/** One bucket's units, packed in order into merged calls of up to `maxKeys` keys (a call is never split). */
function packUnits(units: readonly Unit[]): Merged[] {
  const layout = callOf(units[0]!).merge!;
  const merged: Merged[] = [];
  let start = 0;
  let keys = 0;
  for (let i = 0; i < units.length; i++) {
    const n = callOf(units[i]!).keys.length;
    if (i > start && keys + n > layout.maxKeys) {
      merged.push(mergeUnits(layout, units.slice(start, i)));
      start = i;
      keys = 0;
    }
    keys += n;
  }
  merged.push(mergeUnits(layout, units.slice(start)));
  return merged;
}

/** The call's shared arguments, as a bucket's name (read-or-lock's lock ttl; none for the others). */
function sharedOf(call: ScriptCall, layout: MergeLayout): string {
  if (layout.shared === 0) return '';
  if (layout.shared === 1) return String(call.args[0]);
  return call.args.slice(0, layout.shared).map(String).join('\u0000');
}

function getOrAdd<K, L, V>(map: Map<K, Map<L, V>>, key: K): Map<L, V> {
  let inner = map.get(key);
  if (inner === undefined) {
    inner = new Map();
    map.set(key, inner);
  }
  return inner;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

const callOf = (unit: Unit): ScriptCall => unit.part.calls[unit.index]!;

/** The units' calls as one (the only one as it is): their keys in order, the shared arguments once. */
function mergeUnits(layout: MergeLayout, units: readonly Unit[]): Merged {
  if (units.length === 1) return { call: callOf(units[0]!), units, layout };
  const first = callOf(units[0]!);
  const keys: string[] = [];
  const args: RedisArgument[] = first.args.slice(0, layout.shared);
  for (const unit of units) {
    const call = callOf(unit);
    unit.offset = keys.length;
    for (const key of call.keys) keys.push(key);
    for (let a = layout.shared; a < call.args.length; a++) args.push(call.args[a]!);
  }
  return { call: { script: layout.many, keys, args }, units, layout };
}

/** Where a part's replies go (undefined: it takes none). */
type Into = (part: Part) => Replies | undefined;
const ownReplies: Into = (part) => part.replies;

/** A merged call's reply, into each unit's slot of its part's replies (`into`). */
function distribute(m: Merged, reply: RedisReply | Error, into: Into): void {
  if (m.units.length === 1) {
    const unit = m.units[0]!;
    const replies = into(unit.part);
    if (replies !== undefined) replies[unit.index] = reply;
    return;
  }
  const per = m.layout.repliesPerKey;
  const whole = Array.isArray(reply) && reply.length === m.call.keys.length * per;
  const failed = whole ? undefined : new MergedReplyError(reply);
  for (const unit of m.units) {
    const replies = into(unit.part);
    if (replies === undefined) continue;
    const call = callOf(unit);
    if (failed !== undefined) replies[unit.index] = failed;
    else if (call.script === m.layout.many)
      replies[unit.index] = (reply as RedisReply[]).slice(
        unit.offset * per,
        (unit.offset + call.keys.length) * per,
      );
    else replies[unit.index] = (reply as RedisReply[])[unit.offset * per] ?? null;
  }
}

/** Replies that came after the bound: each part with an `onLate` hears its own. */
function lateToParts(parts: readonly Part[], merged: readonly Merged[], late: Replies): void {
  const heard = new Map<Part, Replies>();
  for (const part of parts)
    if (part.onLate !== undefined) heard.set(part, new Array<RedisReply | Error>(part.calls.length));
  for (let i = 0; i < merged.length; i++) distribute(merged[i]!, late[i] ?? null, (part) => heard.get(part));
  for (const [part, replies] of heard) part.onLate!(replies);
}

/** The keys a part's error names, as a send of its calls would: the one key, or each call's first. */
function keyOfCalls(calls: readonly ScriptCall[]): string | string[] {
  return calls.length === 1 ? calls[0]!.keys[0]! : calls.map((call) => call.keys[0]!);
}
