/**
 * A Redis Cluster failover while callers wait (issue 6, acceptance item 5), on a cluster of
 * this file's own. One master is killed while Conn A holds the locks on some of its keys and
 * Conn B and two worker processes wait on them, and while B (and a control Conn) hold other
 * keys of that master in their near caches. The replica takes over; those keys are rewritten
 * on it while no connection could report the change. Every waiting call must settle, no near
 * cache may serve what changed, and afterwards the promoted master must serve the engine as
 * any master does.
 */
import { JSONCodec } from '@redcache/core';
import { wrapEnvelope } from '@redcache/core/wire';
import { sleep } from '@redcache/fleet';
import { type RedisCluster, redisCommand, startRedisCluster } from '@redcache/redis-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  mastersOf,
  ownerOf,
  replicaOf,
  roleOf,
  type SlotOwners,
  slotOwners,
} from '../../src/cluster-topology.js';
import { CallLog, describeWorkerOutcome } from '../../src/failover-calls.js';
import { openParticipant, type Participant } from '../../src/failover-participant.js';
import { type Sample, sampleReads, samplesAfter } from '../../src/failover-samples.js';
import { keyPrefix } from '../../src/open-conn.js';
import { pollUntil } from '../../src/poll-until.js';
import { redisDriverName } from '../../src/redis-driver.js';
import { clusterTarget } from '../../src/redis-target.js';
import { useWorkers } from '../../src/use-workers.js';

const LOCK_TTL_MS = 2000;
const TTL_MS = 60_000;
/**
 * Allowed beyond lockTTL + the failover time. A command queued for the dead master waits in
 * node-redis's offline queue until node-redis gives up on it: its 5 s command timeout, or its
 * topology refresh (5 s after the node's client starts reconnecting) dropping that client.
 * (The ioredis driver holds a call for the dead master's pair at most connectTimeoutMs, 5 s,
 * or until the promoted replica owns the slot.) The failover takes at least the
 * cluster-node-timeout (2 s) plus an election, so lockTTL + failover covers those 5 s; the
 * margin is for timers running late on a loaded machine.
 */
const MARGIN_MS = 2000;
const LOCKED_KEYS = 3;
const NEAR_KEYS = 4;
const WAITERS_PER_KEY = 30;
const MULTI_WAITERS = 3;
const WORKERS = 2;
const WORKER_CONCURRENCY = 10;
const EXPECTED_CALLS =
  1 + LOCKED_KEYS * WAITERS_PER_KEY + MULTI_WAITERS + WORKERS * LOCKED_KEYS * WORKER_CONCURRENCY;

/**
 * A call that fails fails with a `RedisCommandError` (a `get` never reports a lost lock: it
 * reads again), or, since issue 11, with the bound's `CommandTimeoutError` or the breaker's
 * `RedisUnavailableError` (each naming the dead master: see RESILIENCE_ERROR).
 */
const TYPED_ERROR =
  /^error (E_REDIS RedisCommandError |E_TIMEOUT CommandTimeoutError$|E_UNAVAILABLE RedisUnavailableError$)/;
const TYPED_WORKER_ERROR = /^error (RedisCommandError|CommandTimeoutError|RedisUnavailableError): redcache: /;
/** The bound's or the breaker's error, which has no cause of its own (in process: its code and name only). */
const RESILIENCE_ERROR =
  /^error (E_TIMEOUT CommandTimeoutError|E_UNAVAILABLE RedisUnavailableError)$|^error (CommandTimeoutError|RedisUnavailableError): /;
/**
 * What node-redis rejects a command with when its node dies: the socket closed under it, no
 * reply within the command timeout (a TimeoutError has no message), or its client dropped.
 */
const NODE_REDIS_CONNECTION_LOSS =
  /<- (SocketClosedUnexpectedlyError|Error|TimeoutError|DisconnectsClientError): "(Socket closed unexpectedly|read ECONNRESET||Disconnects client)"$/;
const NODE_REDIS_WORKER_CONNECTION_LOSS =
  /: (Socket closed unexpectedly|read ECONNRESET|TimeoutError \(no message\)|Disconnects client)$/;
/**
 * What the ioredis driver rejects a command with when its node dies: ioredis rejects what was
 * in flight (`maxRetriesPerRequest: 0`) or refuses to write on a closed connection, and a call
 * that waited for the master's pair longer than connectTimeoutMs fails naming the master.
 */
const IOREDIS_LOSS = String.raw`(Reached the max retries per request limit|Connection is closed\.|ioredis: tracking is not set up on 127\.0\.0\.1:\d+ )`;
const IOREDIS_CONNECTION_LOSS = new RegExp(`<- (MaxRetriesPerRequestError|Error): "${IOREDIS_LOSS}`);
const IOREDIS_WORKER_CONNECTION_LOSS = new RegExp(`: ${IOREDIS_LOSS}`);
const ioredis = redisDriverName() === 'ioredis';
const CONNECTION_LOSS = ioredis ? IOREDIS_CONNECTION_LOSS : NODE_REDIS_CONNECTION_LOSS;
const WORKER_CONNECTION_LOSS = ioredis ? IOREDIS_WORKER_CONNECTION_LOSS : NODE_REDIS_WORKER_CONNECTION_LOSS;

interface Value {
  readonly value: string;
  readonly pid: number;
}
const OLD: Value = { value: 'old', pid: 0 };
const NEW: Value = { value: 'new', pid: 0 };
const valueFrom = (who: string): Value => ({ value: who, pid: process.pid });
const mustNotLoad = async (): Promise<Value> => {
  throw new Error('must not load');
};
/** The distinct values of a `getMulti` result. */
const valuesOf = (values: ReadonlyMap<string, Value>) =>
  [...new Set([...values.values()].map((v) => v.value))].join(',');

const prefix = keyPrefix('failover');
let cluster: RedisCluster;
const workers = useWorkers(() => clusterTarget(cluster.rootNodes));
const open = (deaf = false) =>
  openParticipant<Value>(clusterTarget(cluster.rootNodes), {
    codec: JSONCodec<Value>(),
    options: { lockTTLMs: LOCK_TTL_MS },
    deaf,
  });

/** The first `count` keys named `<prefix><name>:<i>` that live on the master on `port`. */
function keysOn(owners: SlotOwners, port: number, name: string, count: number): string[] {
  const keys: string[] = [];
  for (let i = 0; keys.length < count; i++) {
    const key = `${prefix}${name}:${i}`;
    if (ownerOf(owners, key) === port) keys.push(key);
  }
  return keys;
}

/** What the failover recorded, for the tests to judge. Times are `performance.now()`. */
interface Failover {
  readonly victim: number;
  readonly replica: number;
  readonly nearKeys: readonly string[];
  /** When the master was sent SIGTERM. */
  readonly killedAtMs: number;
  /** When its process had exited. */
  readonly deadAtMs: number;
  /** When the replica first answered `ROLE` as master. */
  readonly promotedAtMs: number;
  /** When the near keys had been rewritten on the promoted master. */
  readonly rewrittenAtMs: number;
  readonly calls: CallLog;
  /** B's reads of the near keys, from the kill on. */
  readonly samples: readonly Sample[];
  /** Whether B had a client for the replica's node before the failover. */
  readonly bKnewReplica: boolean;
}

/** A holds the locks; B waits and near-caches; `deaf` near-caches but never hears `null`. */
let a: Participant<Value>;
let b: Participant<Value>;
let deaf: Participant<Value>;
let failover: Failover;

beforeAll(async () => {
  cluster = await startRedisCluster();
}, 60_000);

afterAll(async () => {
  await Promise.all([a, b, deaf].map((p) => p?.close()));
  await cluster?.stop();
}, 60_000);

beforeAll(async () => {
  const owners = await slotOwners(cluster.nodes[0]!.port);
  const victim = mastersOf(owners)[0]!;
  const replica = await replicaOf(victim);
  const lockedKeys = keysOn(owners, victim, 'locked', LOCKED_KEYS);
  const nearKeys = keysOn(owners, victim, 'near', NEAR_KEYS);
  [a, b, deaf] = await Promise.all([open(), open(), open(true)]);
  const pool = await workers.spawn(WORKERS, { lockTTLMs: LOCK_TTL_MS });

  // B loads the near keys and the control reads them: both serve them from memory now.
  for (const key of nearKeys) {
    expect(await b.cache.get(key, TTL_MS, async () => OLD)).toEqual(OLD);
    expect(await deaf.cache.get(key, TTL_MS, mustNotLoad)).toEqual(OLD);
  }
  for (const p of [b, deaf]) {
    p.driver.reset();
    for (const key of nearKeys) expect(await p.cache.get(key, TTL_MS, mustNotLoad)).toEqual(OLD);
    expect(p.driver.sent).toHaveLength(0);
  }
  const bKnewReplica = b.nodes.connectedTo(replica);

  // A locks the locked keys; its loader holds them until the master is dead.
  const calls = new CallLog();
  let loading!: () => void;
  let release!: () => void;
  const aLoading = new Promise<void>((resolve) => {
    loading = resolve;
  });
  const masterDead = new Promise<void>((resolve) => {
    release = resolve;
  });
  const loadA = async (keys: string[]) => {
    loading();
    await masterDead;
    return new Map(keys.map((key) => [key, valueFrom('from-A')]));
  };
  calls.call('A getMulti (holds the locks)', a.cache.getMulti(lockedKeys, TTL_MS, loadA), valuesOf);
  await aLoading;

  // B and the workers wait on them.
  for (const key of lockedKeys) {
    for (let i = 0; i < WAITERS_PER_KEY; i++) {
      calls.call(
        'B get',
        b.cache.get(key, TTL_MS, async () => valueFrom('from-B')),
        (v) => v.value,
      );
    }
  }
  const loadB = async (keys: string[]) => new Map(keys.map((key) => [key, valueFrom('from-B')]));
  for (let i = 0; i < MULTI_WAITERS; i++) {
    calls.call('B getMulti', b.cache.getMulti(lockedKeys, TTL_MS, loadB), valuesOf);
  }
  for (const worker of pool) {
    for (const key of lockedKeys) {
      const request = workers.get(worker, key, { concurrency: WORKER_CONCURRENCY, value: 'from-worker' });
      calls.watch(
        'worker get',
        request.then(
          (result) => result.values.map(describeWorkerOutcome),
          (error: unknown) => [`error untyped ${String(error)}`],
        ),
      );
    }
  }
  await pollUntil('B waits on every locked key', () => b.metrics.count('lockContended') >= LOCKED_KEYS);
  await workers.untilWaiting(pool, LOCKED_KEYS);
  expect(calls.settled).toEqual([]);

  // B keeps reading the near keys until every call settled and it has read each since the rewrite.
  const timeline = { rewrittenAtMs: Number.POSITIVE_INFINITY };
  const sampling = sampleReads(
    b.cache,
    nearKeys,
    (v) => v.value,
    (samples) => {
      const read = samplesAfter(samples, timeline.rewrittenAtMs).filter((s) => s.outcome.startsWith('value'));
      return calls.pending.length > 0 || new Set(read.map((s) => s.key)).size < nearKeys.length;
    },
  );

  // Kill the master. A's loader returns once it is gone, so A's writes meet the failover too.
  const killedAtMs = performance.now();
  await cluster.killNode(victim);
  const deadAtMs = performance.now();
  release();
  const promotedAtMs = await pollUntil(
    'the replica is promoted',
    async () => (await roleOf(replica)) === 'master',
    {
      timeoutMs: 30_000,
    },
  );

  // Rewrite the near keys on the new master at once, as another service would.
  const stored = new TextDecoder().decode(wrapEnvelope(JSON.stringify(NEW), 0));
  for (const key of nearKeys) {
    expect(await redisCommand('127.0.0.1', replica, ['SET', key, stored, 'PX', String(TTL_MS)])).toBe('OK');
  }
  timeline.rewrittenAtMs = performance.now();

  await calls.drained(killedAtMs + 40_000);
  await sampling.done;
  failover = {
    victim,
    replica,
    nearKeys,
    killedAtMs,
    deadAtMs,
    promotedAtMs,
    rewrittenAtMs: timeline.rewrittenAtMs,
    calls,
    samples: sampling.samples,
    bKnewReplica,
  };
}, 60_000);

const sinceKill = (atMs: number) => Math.round(atMs - failover.killedAtMs);

describe('a Redis Cluster failover while callers wait', () => {
  it('every call waiting on the dead master settles, with a value or a typed error, within lockTTL + the failover time', () => {
    const { calls } = failover;
    const failoverMs = failover.promotedAtMs - failover.killedAtMs;
    const boundMs = LOCK_TTL_MS + failoverMs + MARGIN_MS;
    const settledMs = calls.settled.map((batch) => sinceKill(batch.atMs));
    const tally = calls.tally();
    console.log(
      [
        `master ${failover.victim} killed: its process gone after ${sinceKill(failover.deadAtMs)} ms, ` +
          `replica ${failover.replica} master after ${Math.round(failoverMs)} ms`,
        `calls settled ${Math.min(...settledMs)}..${Math.max(...settledMs)} ms after the kill ` +
          `(bound: lockTTL ${LOCK_TTL_MS} + failover ${Math.round(failoverMs)} + margin ${MARGIN_MS} = ${Math.round(boundMs)} ms)`,
        ...[...tally].map(([outcome, count]) => `  ${count} x ${outcome}`),
      ].join('\n'),
    );

    expect(calls.pending).toEqual([]);
    expect([...tally.values()].reduce((sum, n) => sum + n, 0)).toBe(EXPECTED_CALLS);
    for (const ms of settledMs) {
      // Nothing settled before the kill (they all waited on A's locks), and nothing after the bound.
      expect(ms).toBeGreaterThan(0);
      expect(ms).toBeLessThanOrEqual(boundMs);
    }
    for (const batch of calls.settled) {
      const fromWorker = batch.label === 'worker get';
      for (const outcome of batch.outcomes) {
        if (outcome.startsWith('value ')) {
          expect(outcome).toMatch(/^value (from-A|from-B|from-worker)$/);
        } else {
          expect(outcome).toMatch(fromWorker ? TYPED_WORKER_ERROR : TYPED_ERROR);
          if (!RESILIENCE_ERROR.test(outcome)) {
            expect(outcome).toMatch(fromWorker ? WORKER_CONNECTION_LOSS : CONNECTION_LOSS);
          } else if (fromWorker) {
            expect(outcome).toContain(`Redis 127.0.0.1:${failover.victim} `);
          }
        }
      }
    }
  });

  it('no near cache serves a value rewritten during the failover: the null on connection loss drops it', async () => {
    const { nearKeys, rewrittenAtMs } = failover;
    const nulls = b.invalidations.filter((i) => i.key === null && i.atMs >= failover.killedAtMs);
    const sinceRewrite = samplesAfter(failover.samples, rewrittenAtMs);
    console.log(
      `B: first null ${sinceKill(nulls[0]?.atMs ?? Number.NaN)} ms after the kill (${nulls.length} in all); ` +
        `near keys rewritten ${sinceKill(rewrittenAtMs)} ms after the kill; ` +
        `B's reads of them since: ${[...new Set(sinceRewrite.map((s) => s.outcome))].join(' | ')}`,
    );

    // The connection to the master was lost, and reported, before the keys changed.
    expect(nulls.length).toBeGreaterThan(0);
    expect(nulls[0]!.atMs).toBeLessThan(rewrittenAtMs);
    // Every read by B that started after the rewrite got the new value or failed; none the old.
    for (const key of nearKeys) {
      const read = sinceRewrite.filter((s) => s.key === key && s.outcome.startsWith('value'));
      expect(read.length).toBeGreaterThan(0);
      for (const sample of read) expect(sample.outcome).toBe('value new');
    }
    for (const key of nearKeys) expect(await b.cache.get(key, TTL_MS, mustNotLoad)).toEqual(NEW);

    // The control: no push for these keys reached it (no connection of its tracked them on the new
    // master), so a Conn that does not hear the null still serves the old value from memory.
    expect(deaf.invalidations.filter((i) => i.key !== null && nearKeys.includes(i.key))).toEqual([]);
    deaf.driver.reset();
    for (const key of nearKeys) expect(await deaf.cache.get(key, TTL_MS, mustNotLoad)).toEqual(OLD);
    expect(deaf.driver.sent).toHaveLength(0);
  });

  it('after the failover, the promoted master serves the engine: one load across processes, and its writes reach the near cache', async () => {
    const { replica } = failover;
    const [probe, fresh] = keysOn(await slotOwners(replica), replica, 'after', 2) as [string, string];
    // Each cluster client learns the new topology on its own schedule.
    for (const p of [a, b]) {
      await pollUntil('a Conn reads through the promoted master', async () => {
        await p.cache.get(probe, TTL_MS, async () => OLD);
        return true;
      });
    }
    const pool = await workers.spawn(WORKERS, { lockTTLMs: LOCK_TTL_MS });

    let inProcessLoads = 0;
    const load = async (): Promise<Value> => {
      inProcessLoads++;
      await sleep(200);
      return valueFrom('loaded once');
    };
    const [inProcess, inWorkers] = await Promise.all([
      Promise.all([a, b].flatMap((p) => Array.from({ length: 20 }, () => p.cache.get(fresh, TTL_MS, load)))),
      Promise.all(
        pool.map((worker) =>
          workers.get(worker, fresh, { concurrency: 20, loaderMs: 200, value: 'loaded once' }),
        ),
      ),
    ]);
    const values = [
      ...inProcess.map((v) => v.value),
      ...inWorkers.flatMap((result) => result.values.map((v) => v.replace(/@\d+$/, ''))),
    ];
    expect(values).toHaveLength(2 * 20 + WORKERS * 20);
    expect(new Set(values)).toEqual(new Set(['loaded once']));
    expect(inProcessLoads + (await workers.loads(fresh))).toBe(1);

    // B serves it from memory; A's write reaches B as a push for the key, from the new master.
    b.driver.reset();
    expect((await b.cache.get(fresh, TTL_MS, mustNotLoad)).value).toBe('loaded once');
    expect(b.driver.sent).toHaveLength(0);
    const writtenAtMs = performance.now();
    await a.cache.forceSet(fresh, TTL_MS, NEW);
    await pollUntil('B gets the push for the rewritten key', () =>
      b.invalidations.some((i) => i.key === fresh && i.atMs >= writtenAtMs),
    );
    expect(await b.cache.get(fresh, TTL_MS, mustNotLoad)).toEqual(NEW);

    // The push came through a connection that the client (node-redis's node client, or the
    // ioredis driver's pair) made after the failover, and nothing is left of the dead master's.
    expect(failover.bKnewReplica).toBe(false);
    expect(b.nodes.hearsInvalidationsFrom(replica)).toBe(true);
    expect(b.nodes.connectedTo(failover.victim)).toBe(false);
  });
});
