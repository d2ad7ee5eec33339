import type { Driver, DriverHealthEvent, DriverNode, RedisCommand, RedisReply } from '../driver.js';
import { ClosedError } from '../errors/errors.js';
import { RedisUnavailableError } from '../errors/resilience-errors.js';
import type { RedisHealth } from '../health/redis-health.js';
import type { Metrics } from '../metrics.js';
import { type Deadline, DeadlineQueue } from './deadline-queue.js';
import { KnownScripts } from './known-scripts.js';
import { listsOneNode } from './lists-one-node.js';
import { isNoScript, type ScriptCall, toEval } from './script-call.js';
import { ScriptMerge } from './script-merge.js';
import { SendFailures } from './send-failures.js';
import { groupBySlot, keyOf } from './slot-groups.js';

export type { ScriptCall } from './script-call.js';

/** How the runtime driver bounds sends and keeps the breaker (the engine's; tests may leave it out). */
export interface RuntimeDriverOptions {
  /** The bound of each round trip (`false`: none). */
  readonly commandTimeoutMs: number | false;
  /** The breaker: consulted before each send, told of each reply, timeout and failed send. */
  readonly health: RedisHealth;
}

/**
 * The user's driver, wrapped once: a closed connection rejects with `ClosedError`, an open
 * breaker with `RedisUnavailableError` (at once, sending nothing; while a lost connection is
 * being checked, a send waits for the verdict first, see redis-health.ts), a round trip past
 * `commandTimeoutMs` with `CommandTimeoutError` (its late reply is ignored), a failed send
 * with a `RedisCommandError` naming the operation and keys (and counts `redisError`); scripts
 * go as EVALSHA with one EVAL retry on NOSCRIPT, and work is grouped by slot.
 */
export class RuntimeDriver {
  readonly #driver: Driver;
  /** How failed sends are counted and named. */
  readonly #failures: SendFailures;
  readonly #health: RedisHealth | undefined;
  /** One deadline check for every send of this connection (see deadline-queue.ts). */
  readonly #deadlines: DeadlineQueue | undefined;
  /** Scripts each server was sent: sent there by SHA. Others go by source (Redis then caches them). */
  readonly #scripts: KnownScripts;
  /** The calls of this tick that merge across callers (`evalMerged`). */
  readonly #merge: ScriptMerge;
  /** Whether the driver lists one node (see `evalMerged`); learnt at its first call. */
  #oneServer: boolean | undefined;
  #closed = false;

  /** Without `options`: no bound and no breaker. */
  constructor(driver: Driver, metrics: Metrics, options?: RuntimeDriverOptions) {
    const timeoutMs = options?.commandTimeoutMs ?? false;
    this.#driver = driver;
    this.#scripts = new KnownScripts(driver);
    this.#failures = new SendFailures(metrics, options?.health, timeoutMs, driver.serverOf?.bind(driver));
    this.#health = options?.health;
    this.#deadlines = timeoutMs === false ? undefined : new DeadlineQueue(timeoutMs);
    this.#merge = new ScriptMerge({
      slotOf: (key) => driver.slotOf(key),
      send: (op, calls, phase, onLate, answered) =>
        this.#send(op, this.#scripts.commandsFor(calls), phase, onLate, calls, undefined, answered),
      countAgain: (error, op, phase) => this.#failures.countAgain(error, op, phase),
    });
  }

  get client(): unknown {
    return this.#driver.client;
  }

  markClosed(): void {
    this.#closed = true;
  }

  /**
   * Sends one pipeline; per-command errors stay in their slots. A failure names `op`, the
   * caller's operation (`get`, `set`, …), and counts `redisError(phase)`, the engine's step
   * (`read`, `lock`, `set`, `unlock`, …; `op` when not given). When the bound rejects first,
   * `onLate` gets the replies if they come after all (to undo what the commands did).
   *
   * The commands go to the driver before this returns (commands sent in one tick share a
   * write), unless a lost connection is being checked. A send costs one promise over the
   * driver's, and an entry in the deadline queue: no timer, signal or async frame of its own.
   */
  send(
    op: string,
    commands: readonly RedisCommand[],
    phase = op,
    onLate?: (replies: Array<RedisReply | Error>) => void,
  ): Promise<Array<RedisReply | Error>> {
    return this.#send(op, commands, phase, onLate, undefined);
  }

  #send(
    op: string,
    commands: readonly RedisCommand[],
    phase: string,
    onLate: ((replies: Array<RedisReply | Error>) => void) | undefined,
    scripts: readonly ScriptCall[] | undefined,
    node?: DriverNode,
    answered?: (replies: Array<RedisReply | Error>) => void,
  ): Promise<Array<RedisReply | Error>> {
    if (this.#closed) return Promise.reject(new ClosedError(op, commands[0]?.key));
    // A lost connection being checked: wait for the verdict (bounded) rather than fail for nothing.
    const checking = this.#health?.checking;
    if (checking !== undefined) {
      return checking.then(() => {
        if (this.#closed) throw new ClosedError(op, commands[0]?.key);
        return this.#sendNow(op, commands, phase, onLate, scripts, node, answered);
      });
    }
    return this.#sendNow(op, commands, phase, onLate, scripts, node, answered);
  }

  #sendNow(
    op: string,
    commands: readonly RedisCommand[],
    phase: string,
    onLate: ((replies: Array<RedisReply | Error>) => void) | undefined,
    scripts: readonly ScriptCall[] | undefined,
    node: DriverNode | undefined,
    answered: ((replies: Array<RedisReply | Error>) => void) | undefined,
  ): Promise<Array<RedisReply | Error>> {
    const outage = this.#health?.outage;
    if (outage !== undefined) {
      return Promise.reject(
        new RedisUnavailableError(
          op,
          keyOf(commands),
          outage.reason,
          outage.since,
          this.#failures.serverOf(commands, node),
        ),
      );
    }
    const sent = this.#sendRaw(commands, node);
    const deadlines = this.#deadlines;
    return new Promise((resolve, reject) => {
      const entry: Deadline | undefined =
        deadlines === undefined
          ? undefined
          : {
              deadline: deadlines.deadlineFromNow(),
              settled: false,
              expire: () => {
                // A late reply is heard, to undo what the commands did.
                if (onLate !== undefined) sent.then(onLate, () => {});
                reject(this.#failures.timedOut(op, commands, phase, node));
              },
            };
      if (entry !== undefined) deadlines!.add(entry);
      sent.then(
        (replies) => {
          if (entry !== undefined && !deadlines!.settle(entry)) return;
          this.#health?.replied();
          const result =
            scripts === undefined ? replies : this.#scriptsAnswered(op, scripts, phase, onLate, replies);
          // In this reaction, not one later: the merge hands each caller its replies as a send of its own would.
          if (answered !== undefined) {
            if (Array.isArray(result)) answered(result);
            else result.then(answered, () => {});
          }
          resolve(result);
        },
        (error: unknown) => {
          if (entry !== undefined && !deadlines!.settle(entry)) return;
          reject(this.#failures.failed(op, commands, phase, error, node));
        },
      );
    });
  }

  /**
   * One PING past the breaker, for its probe: resolves once Redis answers (an error reply is
   * an answer), however late. Not bounded: the probe sends no other until this one settles.
   */
  probe(): Promise<unknown> {
    if (this.#closed) return Promise.reject(new ClosedError('probe'));
    return this.#sendRaw([{ key: '', args: ['PING'] }]);
  }

  /** The driver's nodes (`Driver.nodes`, for `sendTo`), or undefined when it cannot list them. */
  nodes(): readonly DriverNode[] | Promise<readonly DriverNode[]> | undefined {
    return this.#driver.nodes?.();
  }

  /** As `send`, to one node alone (`DriverNode.send`); `commands[i].key` only names the work in errors. */
  sendTo(
    op: string,
    node: DriverNode,
    commands: readonly RedisCommand[],
  ): Promise<Array<RedisReply | Error>> {
    return this.#send(op, commands, op, undefined, undefined, node);
  }

  /** Subscribes to the driver's reports on its connections, when it makes any. */
  onHealth(listener: (event: DriverHealthEvent) => void): () => void {
    return this.#driver.onHealth?.(listener) ?? (() => {});
  }

  #sendRaw(commands: readonly RedisCommand[], node?: DriverNode): Promise<Array<RedisReply | Error>> {
    try {
      if (node !== undefined) return node.send(commands.map((command) => command.args));
      return this.#driver.send(commands);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Runs scripts as one pipeline: by SHA once the server was sent a script, by source the
   * first time (see known-scripts.ts); a NOSCRIPT reply (the server restarted or flushed its
   * scripts, or never ran the first EVAL) is re-sent by source. Sending by source on first use
   * keeps every script in order with the commands around it: no extra round trip lets a
   * later command overtake it. `onLate`: see `send` (a late NOSCRIPT reply means that script
   * did not run).
   */
  evalScripts(
    op: string,
    calls: readonly ScriptCall[],
    phase = op,
    onLate?: (replies: Array<RedisReply | Error>) => void,
  ): Promise<Array<RedisReply | Error>> {
    return this.#send(op, this.#scripts.commandsFor(calls), phase, onLate, calls);
  }

  /**
   * As `evalScripts`, for calls with a `merge` layout: on a single server (the driver lists one
   * node), sent once this tick's microtasks have run, merged with other callers' (see
   * script-merge.ts): their order against other sends of the tick is not kept.
   */
  evalMerged(
    op: string,
    calls: readonly ScriptCall[],
    phase = op,
    onLate?: (replies: Array<RedisReply | Error>) => void,
  ): Promise<Array<RedisReply | Error>> {
    if (this.#oneServer === undefined) this.#learnServers();
    if (!this.#oneServer) return this.evalScripts(op, calls, phase, onLate);
    return this.#merge.add(op, calls, phase, onLate);
  }

  /** Whether the driver lists one node: known at once, or (unmerged meanwhile) once it has learnt its nodes. */
  #learnServers(): void {
    const one = listsOneNode(this.#driver);
    this.#oneServer = one === true;
    if (typeof one !== 'boolean') void one.then((listed) => (this.#oneServer = listed));
  }

  /** Re-sends by source the calls the server did not have (NOSCRIPT). */
  #scriptsAnswered(
    op: string,
    calls: readonly ScriptCall[],
    phase: string,
    onLate: ((replies: Array<RedisReply | Error>) => void) | undefined,
    replies: Array<RedisReply | Error>,
  ): Array<RedisReply | Error> | Promise<Array<RedisReply | Error>> {
    let missing: number[] | undefined;
    for (let index = 0; index < calls.length; index++) {
      if (!isNoScript(replies[index])) continue;
      missing ??= [];
      missing.push(index);
    }
    if (missing === undefined) return replies;
    return this.#resendBySource(op, calls, phase, onLate, replies, missing);
  }

  async #resendBySource(
    op: string,
    calls: readonly ScriptCall[],
    phase: string,
    onLate: ((replies: Array<RedisReply | Error>) => void) | undefined,
    replies: Array<RedisReply | Error>,
    missing: readonly number[],
  ): Promise<Array<RedisReply | Error>> {
    const retried = await this.send(
      op,
      missing.map((index) => toEval(calls[index]!)),
      phase,
      onLate === undefined
        ? undefined
        : (late) => onLate(replies.map((reply, index) => late[missing.indexOf(index)] ?? reply)),
    );
    missing.forEach((index, position) => {
      replies[index] = retried[position]!;
    });
    return replies;
  }

  /** Groups keys by slot, keeping their order within each group. */
  groupBySlot<T extends string>(keys: Iterable<T>): T[][] {
    return groupBySlot(keys, (key) => this.#driver.slotOf(key));
  }

  onInvalidate(listener: (key: string | null) => void): () => void {
    return this.#driver.onInvalidate(listener);
  }

  close(): Promise<void> {
    this.#closed = true;
    this.#deadlines?.close();
    return this.#driver.close();
  }
}
