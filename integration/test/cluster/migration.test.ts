/**
 * A slot migrated to another master while the engine reads and writes it (issue 6, item 6),
 * done as `redis-cli --cluster reshard` does it: IMPORTING on the target, MIGRATING on the
 * source, MIGRATE in batches, then SETSLOT NODE. Calls keep succeeding with the right values
 * through the three replies a moving slot gives — ASK (the key has moved), TRYAGAIN (a
 * multi-key read whose keys are split between the nodes), MOVED (the move is over) — and the
 * near cache stays coherent across it.
 */
import { keySlot } from '@redcache/core';
import { readOrLockScript, setIfLockedScript, wrapEnvelope } from '@redcache/core/wire';
import { redisCommand, SlotMigration } from '@redcache/redis-harness';
import { expect, it } from 'vitest';
import { invalidated } from '../../src/counting-driver.js';
import { CountingMetrics } from '../../src/counting-metrics.js';
import { plainClient } from '../../src/key-client.js';
import { type MigrationConn, openMigrationConn } from '../../src/migration-conn.js';
import { type Readers, startReaders } from '../../src/migration-readers.js';
import type { Redirect, RedirectKind } from '../../src/migration-redirects.js';
import { keyPrefix } from '../../src/open-conn.js';
import { useOwnCluster } from '../../src/own-cluster.js';
import { pollUntil } from '../../src/poll-until.js';

/**
 * Polls every 10 ms, for 10 s at most: a liveness bound — the migration's steps take
 * milliseconds, and TRYAGAIN is retried for about 5 s before the read is split.
 */
const FAST = { intervalMs: 10, timeoutMs: 10_000 };
/** How long the waiting test watches for reads that must not happen. */
const QUIET_MS = 300;
const prefix = keyPrefix('migration');
const TTL = 60_000;
const own = useOwnCluster();

/** Keys `<tag>:<name><i>` for i < count: all in the slot of `tag`. */
const keysOf = (tag: string, name: string, count: number) =>
  Array.from({ length: count }, (_, i) => `${tag}:${name}${i}`);

/** Is `args` a call of `script` (EVAL of its source or EVALSHA of its sha1)? */
const callsScript = (script: { sha1: string; source: string }, args: readonly unknown[]) =>
  args[1] === script.sha1 || args[1] === script.source;
const isRead = (args: readonly unknown[]) => callsScript(readOrLockScript, args);
/** Redirects of a call of `script`. */
const ofScript = (script: { sha1: string; source: string }) => (redirect: Redirect) =>
  callsScript(script, redirect.args);
/** Redirects of one read-or-lock call for several keys. */
const ofReadOfSeveralKeys = (redirect: Redirect) => isRead(redirect.args) && Number(redirect.args[2]) >= 2;
/** Redirects of a command naming `key`. */
const ofKey = (key: string) => (redirect: Redirect) => redirect.args.includes(key);

/** A promise and the function that resolves it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

/** `promise`, awaited later: if the test fails before, its rejection is not reported as unhandled. */
function later<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}

const mustNotLoad = async (): Promise<never> => {
  throw new Error('must not load');
};

/** `count` concurrent `get`s of `key` through each Conn, all with `loader`: their values. */
const stampede = (
  conns: readonly MigrationConn[],
  key: string,
  count: number,
  loader: () => Promise<string>,
) =>
  later(
    Promise.all(conns.flatMap((c) => Array.from({ length: count }, () => c.cache.get(key, TTL, loader)))),
  );

const same = (value: string, count: number) => Array.from({ length: count }, () => value);
const envelope = (payload: string) => new RegExp(`^__redcache:v1:\\d+:${payload}$`);
const onNode = (port: number, ...args: string[]) => redisCommand('127.0.0.1', port, args).then(String);

it('reads, writes and loads keep succeeding while a slot moves batch by batch: ASK, TRYAGAIN, then MOVED', async () => {
  const tag = `{${prefix}busy}`;
  const stable = keysOf(tag, 'stable', 40);
  const expected = new Map(stable.map((key, i) => [key, `s${i}`]));
  const [forced, kept, deleted, setKey] = keysOf(tag, 'write', 4) as [string, string, string, string];
  const [heldKey, coldKey, coldA, coldB] = keysOf(tag, 'cold', 4) as [string, string, string, string];
  // R reads with no near cache, so that every call goes to Redis; W writes; both load.
  const r = await openMigrationConn(own.target, { nearCache: false });
  const w = await openMigrationConn(own.target);
  const both = [r, w];
  const redirects = (kind: RedirectKind, which?: (redirect: Redirect) => boolean) =>
    r.redirects.count(kind, which) + w.redirects.count(kind, which);
  const migration = await SlotMigration.plan(own.cluster, keySlot(tag));
  let readers: Readers | undefined;
  try {
    await w.cache.forceSetMulti(expected, TTL);
    await w.cache.forceSetMulti(new Map([forced, kept, deleted, setKey].map((key) => [key, 'before'])), TTL);

    // A load that takes its lock on the source before the move, and writes after.
    const holdLoader = gate();
    let heldLoads = 0;
    const held = stampede(both, heldKey, 25, async () => {
      heldLoads++;
      await holdLoader.opened;
      return 'held';
    });
    await pollUntil('the held loader runs', () => heldLoads === 1, FAST);
    expect(await onNode(migration.from, 'GET', heldKey)).toMatch(/^__redcache:lock:/);

    readers = startReaders(r.cache, expected, 8, TTL);
    await pollUntil('the readers are busy', () => (readers?.calls ?? 0) >= 20, FAST);
    const started = performance.now();
    await migration.begin();
    // The first batch: a quarter of the stable keys, the locked key, two of the written keys.
    await migration.migrate([...stable.slice(0, 10), heldKey, forced, deleted]);

    // Half moved. One read of two keys, one on each node: TRYAGAIN until they are on one.
    const split = later(r.cache.getMulti([stable[0]!, stable[39]!], TTL, mustNotLoad));
    // Writes of moved keys (ASK), of a key still on the source, and a set with its loader.
    const writes = later(
      Promise.all([
        w.cache.forceSet(forced, TTL, 'forced'),
        w.cache.forceSet(kept, TTL, 'kept'),
        w.cache.del(deleted),
        w.cache.set(setKey, TTL, async () => 'set'),
      ]),
    );
    // A miss on a key that exists nowhere: its lock (read-or-lock) and its value go to the target.
    let coldLoads = 0;
    const cold = stampede(both, coldKey, 25, async () => {
      coldLoads++;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return 'cold';
    });
    // The read of two keys on both nodes was answered TRYAGAIN, and sent again.
    await pollUntil(
      'TRYAGAIN twice for the read of several keys',
      () => r.redirects.count('TRYAGAIN', ofReadOfSeveralKeys) >= 2,
      FAST,
    );
    expect(await cold).toEqual(same('cold', 50));
    expect(coldLoads).toBe(1);
    expect(redirects('ASK', (x) => ofScript(readOrLockScript)(x) && ofKey(coldKey)(x))).toBeGreaterThan(0);
    expect(redirects('ASK', (x) => ofScript(setIfLockedScript)(x) && ofKey(coldKey)(x))).toBeGreaterThan(0);
    expect(await onNode(migration.from, 'GET', coldKey)).toMatch(/^Error: ASK /);
    await writes;
    expect(w.redirects.count('ASK', ofKey(forced))).toBeGreaterThan(0);
    expect(w.redirects.count('ASK', ofKey(deleted))).toBeGreaterThan(0);
    expect(w.redirects.count('ASK', ofKey(kept))).toBe(0); // still on the source

    // The lock moved with its key: the loader's CAS follows it to the target (ASK).
    holdLoader.open();
    expect(await held).toEqual(same('held', 50));
    expect(heldLoads).toBe(1);
    expect(redirects('ASK', (x) => ofScript(setIfLockedScript)(x) && ofKey(heldKey)(x))).toBeGreaterThan(0);

    // Two keys that exist nowhere, read in one call: the source answers ASK, the target
    // TRYAGAIN (it has not both) until it owns the slot; then they are loaded.
    const pairLoader = async (keys: string[]) => new Map(keys.map((key) => [key, `pair-${key}`]));
    const coldPair = later(r.cache.getMulti([coldA, coldB], TTL, pairLoader));
    await pollUntil(
      'TRYAGAIN from the target',
      () => r.redirects.seen.some((x) => x.kind === 'TRYAGAIN' && x.port === migration.to),
      FAST,
    );

    // A pause between batches, as a reshard paces itself: the readers run between them (no
    // assertion depends on how long it is).
    const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 20));
    expect(await migration.migrateRest(10, pause)).toBeGreaterThanOrEqual(30);
    expect(await split).toEqual(
      new Map([
        [stable[0]!, 's0'],
        [stable[39]!, 's39'],
      ]),
    );
    await migration.finish();
    const migrationMs = performance.now() - started;
    expect(await coldPair).toEqual(await pairLoader([coldA, coldB]));

    // Moved: the readers' next sends to the old owner get MOVED, then go to the new one.
    await pollUntil('a MOVED', () => r.redirects.count('MOVED') > 0, FAST);
    const callsAfterMove = readers.calls;
    await pollUntil(
      '50 reader calls after the move',
      () => (readers?.calls ?? 0) >= callsAfterMove + 50,
      FAST,
    );
    await readers.stop();
    expect(readers.failures).toEqual([]);
    expect(r.invalidations).toContain(null);

    // Every write is on the new owner, and the old one has no key of the slot left.
    expect(await onNode(migration.to, 'GET', forced)).toBe('__redcache:v1:0:forced');
    expect(await onNode(migration.to, 'GET', kept)).toBe('__redcache:v1:0:kept');
    expect(await onNode(migration.to, 'EXISTS', deleted)).toBe('0');
    expect(await onNode(migration.to, 'GET', setKey)).toMatch(envelope('set'));
    expect(await onNode(migration.to, 'GET', coldKey)).toMatch(envelope('cold'));
    expect(await onNode(migration.to, 'GET', heldKey)).toMatch(envelope('held'));
    expect(await onNode(migration.from, 'CLUSTER', 'COUNTKEYSINSLOT', String(migration.slot))).toBe('0');

    const tally = (c: MigrationConn) =>
      `ASK ${c.redirects.count('ASK')}, TRYAGAIN ${c.redirects.count('TRYAGAIN')}, MOVED ${c.redirects.count('MOVED')}`;
    console.info(
      `migration of slot ${migration.slot}: ${Math.round(migrationMs)} ms; ${readers.calls} reader calls; ` +
        `redirects R: ${tally(r)}; W: ${tally(w)}`,
    );
  } finally {
    await readers?.stop();
    await Promise.all([r.close(), w.close()]);
  }
});

it('near cache: values cached before the move are not served stale; tracking follows the slot to its new owner', async () => {
  const tag = `{${prefix}coherent}`;
  const [moving, idle] = keysOf(tag, 'key', 2) as [string, string];
  const elsewhere = `${prefix}elsewhere`;
  const a = await openMigrationConn(own.target);
  const w = await openMigrationConn(own.target);
  const plain = await plainClient(own.target);
  const migration = await SlotMigration.plan(own.cluster, keySlot(tag));
  expect(keySlot(elsewhere)).not.toBe(migration.slot);
  /** `get` through A: the value, and whether A had to ask Redis for it. */
  const readA = async (key: string) => {
    a.driver.reset();
    const value = await a.cache.get(key, TTL, mustNotLoad);
    return { value, sent: a.driver.sent.length > 0 };
  };
  try {
    await w.cache.forceSetMulti(
      new Map([
        [moving, 'v1'],
        [idle, 'i1'],
        [elsewhere, 'e1'],
      ]),
      TTL,
    );
    for (const key of [moving, idle, elsewhere]) await a.cache.get(key, TTL, mustNotLoad);
    expect(await readA(moving)).toEqual({ value: 'v1', sent: false });
    expect(await readA(elsewhere)).toEqual({ value: 'e1', sent: false });

    await migration.begin();
    // MIGRATE deletes the key from the source, which tells A.
    let dropped = invalidated(a.driver, [moving]);
    await migration.migrate([moving]);
    await dropped;
    expect(a.invalidations).not.toContain(null);
    expect(await readA(moving)).toEqual({ value: 'v1', sent: true }); // through ASK
    expect(a.redirects.count('ASK')).toBeGreaterThan(0);
    expect(await readA(moving)).toEqual({ value: 'v1', sent: false });
    // A write on the target, mid-move: the target tracks what A read there.
    dropped = invalidated(a.driver, [moving]);
    await w.cache.forceSet(moving, TTL, 'v2');
    await dropped;
    expect(a.invalidations).not.toContain(null);
    expect(await readA(moving)).toEqual({ value: 'v2', sent: true });

    dropped = invalidated(a.driver, [idle]);
    await migration.migrateRest();
    await dropped;
    await migration.finish();
    // Another service writes on the new owner a key A cached before the move.
    await plain.set(idle, Buffer.from(wrapEnvelope('i2', 0)), { PX: TTL });
    expect(await readA(idle)).toEqual({ value: 'i2', sent: true });
    // A's first send for the slot was answered MOVED: the driver reported null, and A
    // re-reads even what it held of other slots.
    expect(a.redirects.count('MOVED')).toBeGreaterThan(0);
    expect(a.invalidations).toContain(null);
    expect(await readA(elsewhere)).toEqual({ value: 'e1', sent: true });

    // After the move, the new owner's pushes reach A.
    expect(await readA(moving)).toEqual({ value: 'v2', sent: true });
    expect(await readA(moving)).toEqual({ value: 'v2', sent: false });
    a.invalidations.length = 0;
    const pushed = pollUntil('the push for the moving key', () => a.invalidations.includes(moving), FAST);
    await plain.set(moving, Buffer.from(wrapEnvelope('v3', 0)), { PX: TTL });
    await pushed;
    expect(a.invalidations).not.toContain(null);
    expect(await readA(moving)).toEqual({ value: 'v3', sent: true });
  } finally {
    await Promise.all([a.close(), w.close(), plain.close()]);
  }
});

it('a caller waiting, mid-move, for a load elsewhere is woken by the push of the own.target, not by a storm of reads', async () => {
  const tag = `{${prefix}waiting}`;
  const key = `${tag}:key`;
  const metrics = new CountingMetrics();
  const a = await openMigrationConn(own.target, { metrics });
  const b = await openMigrationConn(own.target);
  const migration = await SlotMigration.plan(own.cluster, keySlot(tag));
  try {
    await migration.begin();
    const release = gate();
    let loading = false;
    const loaded = later(
      b.cache.get(key, TTL, async () => {
        loading = true;
        await release.opened;
        return 'from-b';
      }),
    );
    await pollUntil('the loader runs', () => loading, FAST);
    a.driver.reset();
    const waiting = later(a.cache.get(key, TTL, mustNotLoad));
    // Reads go to the source, which answers ASK (the key, a lock, is on the target); the
    // driver follows it and reports nothing, so the caller waits for a push. Once it waits,
    // what is under test is that nothing happens for a while: no storm of reads. A sleep: it
    // proves an absence. A storm re-read every few ms (547 reads in 500 ms); a waiter reads
    // once, then polls no sooner than lockTTL / 20 (500 ms at the default 10 s), so within
    // QUIET_MS it reads at most twice even if the timers run late.
    await metrics.reached('lockContended');
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    const readsWhileWaiting = a.driver.sent.filter((command) => isRead(command.args)).length;
    expect(a.redirects.count('ASK')).toBeGreaterThan(0);
    release.open();
    expect(await waiting).toBe('from-b');
    expect(await loaded).toBe('from-b');
    expect(a.invalidations).toContain(key);
    expect(a.invalidations).not.toContain(null);
    expect(readsWhileWaiting).toBeLessThanOrEqual(2);
    await migration.finish();
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});
