import type { DriverNode, RedisReply } from '../driver.js';
import type { EngineContext } from '../engine/engine-context.js';
import { RedisCommandError } from '../errors/errors.js';
import type { Operation } from '../lifecycle/operation.js';
import type { ClearOptions } from '../view/clear-options.js';
import { dropLocal } from '../write/write-per-key.js';
import { prefixPattern } from './match-pattern.js';

/** `SCAN`'s `COUNT`: how much of a node's keyspace each batch visits, so about the most keys a batch holds. */
export const CLEAR_SCAN_COUNT = 1000;

/** What `clear` needs of the engine. */
export type ClearParts = Pick<EngineContext, 'driver' | 'health' | 'lifecycle' | 'metrics' | 'nearCache'>;

const utf8 = new TextDecoder();

/**
 * `clear`: every key that starts with `prefix`, on every node the driver lists (each master
 * of a cluster, concurrently), found with `SCAN <cursor> MATCH <prefix>* COUNT n` and removed
 * with `UNLINK` (one command per slot among the batch's keys, in one pipeline to the node; see
 * `unlinkBatch`), one batch at a time per node: only one batch's keys are ever held. A
 * batch's keys leave this process's near cache before their
 * `UNLINK` is sent; Redis then tells every other process that read them. Between batches the
 * caller's signal and `close()` are checked, and `onProgress` hears of each batch removed.
 * Locks under the prefix are removed like values (see docs/namespaces.md). Resolves to the
 * number of keys removed (what `UNLINK` counted).
 */
export async function clearPrefix(
  engine: ClearParts,
  prefix: string | undefined,
  opts: ClearOptions | undefined,
): Promise<number> {
  const clearing = assertClearable(prefix, opts);
  const listed = engine.driver.nodes();
  if (listed === undefined) {
    throw new TypeError(
      'redcache: clear: the driver cannot list its nodes (Driver.nodes), so it cannot scan for the keys to clear',
    );
  }
  const nodes = await listed;
  if (nodes.length === 0) {
    throw new RedisCommandError(
      'clear',
      clearing,
      new Error('the driver lists no node to scan (is the client connected?)'),
    );
  }
  const operation = engine.lifecycle.begin('clear', clearing, opts?.signal);
  const run: ClearRun = {
    engine,
    prefix: clearing,
    operation,
    onProgress: opts?.onProgress,
    removed: 0,
    failure: undefined,
  };
  try {
    await Promise.all(nodes.map((node) => clearNode(run, node).catch((error: unknown) => fail(run, error))));
  } finally {
    operation.end();
  }
  if (run.failure !== undefined) throw run.failure.error;
  return run.removed;
}

/**
 * Before any I/O (the fake cache checks the same): the view has a prefix (a `TypeError`
 * otherwise), `onProgress` is a function if given, the signal has not aborted (its reason).
 * Returns the prefix.
 */
export function assertClearable(prefix: string | undefined, opts: ClearOptions | undefined): string {
  if (prefix === undefined) {
    throw new TypeError(
      "redcache: clear: the view has no prefix, so no key is only its own to clear; give it one (newStringCache(conn, codec, { prefix: 'users:' })): clearing a whole database is not a view's to do",
    );
  }
  const onProgress = opts?.onProgress;
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new TypeError(`redcache: clear: onProgress must be a function, got ${typeof onProgress}`);
  }
  opts?.signal?.throwIfAborted();
  return prefix;
}

/** One `clear` across its nodes: what they share. */
interface ClearRun {
  readonly engine: ClearParts;
  readonly prefix: string;
  readonly operation: Operation;
  readonly onProgress: ClearOptions['onProgress'];
  removed: number;
  /** The first failure: every node stops at its next batch. */
  failure: { readonly error: unknown } | undefined;
}

function fail(run: ClearRun, error: unknown): void {
  run.failure ??= { error };
}

/** Scans one node to the end (cursor `0` again), a batch at a time, unless the run stops. */
async function clearNode(run: ClearRun, node: DriverNode): Promise<void> {
  const match = prefixPattern(run.prefix);
  let cursor = '0';
  do {
    if (run.failure !== undefined) return;
    if (run.operation.aborted) throw run.operation.reason;
    const [reply] = await run.engine.driver.sendTo('clear', node, [
      { key: run.prefix, args: ['SCAN', cursor, 'MATCH', match, 'COUNT', String(CLEAR_SCAN_COUNT)] },
    ]);
    const batch = scanBatch(run, node, reply ?? null);
    cursor = batch.cursor;
    if (batch.keys.length === 0 || run.failure !== undefined) continue;
    // Awaited first: `run.removed += await …` would add to the total read before the await,
    // losing what the other nodes added meanwhile.
    const removed = await unlinkBatch(run, node, batch.keys);
    run.removed += removed;
    // Another node's failure has stopped the clear meanwhile: it is not to be heard of again.
    if (run.failure === undefined) run.onProgress?.({ removed: run.removed });
  } while (cursor !== '0');
}

/** A scanned key: as text (its slot, the near cache) and as Redis sent it (what `UNLINK` names). */
interface ScannedKey {
  readonly text: string;
  readonly raw: string | Uint8Array;
}

/**
 * `UNLINK`s a batch: one command per slot among its keys, all sent to the node that listed them
 * as one pipeline (it holds their slots). A command the node redirects — the slot moved, or is
 * being migrated, since the `SCAN` (`MOVED`, `ASK`, `TRYAGAIN`) — is sent again by key through
 * `send`, which follows the cluster. Returns how many keys Redis removed.
 */
async function unlinkBatch(run: ClearRun, node: DriverNode, keys: readonly ScannedKey[]): Promise<number> {
  const { engine } = run;
  const byText = new Map(keys.map((key) => [key.text, key.raw]));
  dropLocal(engine, byText.keys());
  const commands = engine.driver.groupBySlot(byText.keys()).map((group) => ({
    key: group[0]!,
    args: ['UNLINK', ...group.map((text) => byText.get(text)!)],
  }));
  const replies = await engine.driver.sendTo('clear', node, commands);
  const counts = await Promise.all(
    replies.map(async (reply, index) => {
      const answer = isRedirect(reply)
        ? (await engine.driver.send('clear', [commands[index]!], 'unlink'))[0]
        : reply;
      if (answer instanceof Error) throw replyError(run, 'unlink', answer);
      return typeof answer === 'number' ? answer : 0;
    }),
  );
  return counts.reduce((sum, count) => sum + count, 0);
}

/** A cluster node's "not here": the command must go where the cluster routes its key now. */
function isRedirect(reply: RedisReply | Error | undefined): boolean {
  return reply instanceof Error && /^(MOVED|ASK|TRYAGAIN)\b/.test(reply.message);
}

/** A `SCAN` reply, `[cursor, [key, …]]`, read; anything else is a `RedisCommandError`. */
function scanBatch(
  run: ClearRun,
  node: DriverNode,
  reply: RedisReply | Error,
): { cursor: string; keys: ScannedKey[] } {
  if (reply instanceof Error) throw replyError(run, 'scan', reply, node.address);
  const [cursor, keys] = Array.isArray(reply) ? reply : [];
  if ((typeof cursor !== 'string' && !(cursor instanceof Uint8Array)) || !Array.isArray(keys)) {
    throw replyError(run, 'scan', new Error('SCAN replied with no cursor and keys'), node.address);
  }
  return {
    cursor: textOf(cursor),
    keys: (keys as readonly RedisReply[]).flatMap((key) =>
      typeof key === 'string' || key instanceof Uint8Array ? [{ text: textOf(key), raw: key }] : [],
    ),
  };
}

/** An error reply: counted (`redisError(phase)`), and named with the prefix (and the node, for a scan). */
function replyError(run: ClearRun, phase: string, reply: Error, server?: string): RedisCommandError {
  run.engine.metrics.redisError(phase);
  return new RedisCommandError('clear', run.prefix, reply, false, server);
}

function textOf(value: string | Uint8Array): string {
  return typeof value === 'string' ? value : utf8.decode(value);
}
