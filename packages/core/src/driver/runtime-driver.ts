import type { Driver, DriverHealthEvent, RedisArgument, RedisCommand, RedisReply } from '../driver.js';
import { ClosedError, RedisCommandError } from '../errors/errors.js';
import { CommandTimeoutError, RedisUnavailableError } from '../errors/resilience-errors.js';
import type { RedisHealth } from '../health/redis-health.js';
import type { Metrics } from '../metrics.js';
import type { Script } from '../wire/scripts/script.js';
import { DeadlineQueue } from './deadline-queue.js';

/** One script call: its key (one; scripts touch one slot), and its arguments. */
export interface ScriptCall {
  readonly script: Script;
  readonly keys: readonly string[];
  readonly args: readonly RedisArgument[];
}

const isNoScript = (reply: RedisReply | Error): reply is Error =>
  reply instanceof Error && reply.message.startsWith('NOSCRIPT');

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
  readonly #metrics: Metrics;
  readonly #health: RedisHealth | undefined;
  readonly #timeoutMs: number | false;
  /** One deadline check for every send of this connection (see deadline-queue.ts). */
  readonly #deadlines: DeadlineQueue | undefined;
  /** Scripts the server has run for us: sent by SHA. Others go by source (Redis then caches them). */
  readonly #known = new Set<string>();
  #closed = false;

  /** Without `options`: no bound and no breaker. */
  constructor(driver: Driver, metrics: Metrics, options?: RuntimeDriverOptions) {
    this.#driver = driver;
    this.#metrics = metrics;
    this.#health = options?.health;
    this.#timeoutMs = options?.commandTimeoutMs ?? false;
    this.#deadlines = this.#timeoutMs === false ? undefined : new DeadlineQueue(this.#timeoutMs);
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
   */
  async send(
    op: string,
    commands: readonly RedisCommand[],
    phase = op,
    onLate?: (replies: Array<RedisReply | Error>) => void,
  ): Promise<Array<RedisReply | Error>> {
    if (this.#closed) throw new ClosedError(op, commands[0]?.key);
    // A lost connection being checked: wait for the verdict (bounded) rather than fail for nothing.
    const checking = this.#health?.checking;
    if (checking !== undefined) {
      await checking;
      if (this.#closed) throw new ClosedError(op, commands[0]?.key);
    }
    const outage = this.#health?.outage;
    if (outage !== undefined) {
      throw new RedisUnavailableError(
        op,
        keyOf(commands),
        outage.reason,
        outage.since,
        this.#serverOf(commands),
      );
    }
    const sent = this.#sendRaw(commands);
    try {
      const replies = await this.#bounded(op, commands, sent);
      this.#health?.replied();
      return replies;
    } catch (error) {
      this.#metrics.redisError(phase);
      if (error instanceof CommandTimeoutError) {
        if (onLate !== undefined) sent.then(onLate, () => {});
        this.#metrics.commandTimeout?.(op);
        this.#health?.timedOut();
        throw error;
      }
      this.#health?.lostConnection();
      throw new RedisCommandError(op, keyOf(commands), error, true, this.#serverOf(commands));
    }
  }

  /**
   * One PING past the breaker, for its probe: resolves once Redis answers (an error reply is
   * an answer), however late. Not bounded: the probe sends no other until this one settles.
   */
  probe(): Promise<unknown> {
    if (this.#closed) return Promise.reject(new ClosedError('probe'));
    return this.#sendRaw([{ key: '', args: ['PING'] }]);
  }

  /** Subscribes to the driver's reports on its connections, when it makes any. */
  onHealth(listener: (event: DriverHealthEvent) => void): () => void {
    return this.#driver.onHealth?.(listener) ?? (() => {});
  }

  #sendRaw(commands: readonly RedisCommand[]): Promise<Array<RedisReply | Error>> {
    try {
      return this.#driver.send(commands);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #bounded<T>(op: string, commands: readonly RedisCommand[], sent: Promise<T>): Promise<T> {
    if (this.#deadlines === undefined) return sent;
    return this.#deadlines.bound(
      sent,
      () => new CommandTimeoutError(op, keyOf(commands), this.#timeoutMs as number, this.#serverOf(commands)),
    );
  }

  /** The node the commands went to, when the driver can say (computed only for an error). */
  #serverOf(commands: readonly RedisCommand[]): string | undefined {
    const key = commands[0]?.key;
    if (key === undefined || this.#driver.serverOf === undefined) return undefined;
    try {
      return this.#driver.serverOf(key);
    } catch {
      return undefined;
    }
  }

  /**
   * Runs scripts as one pipeline: by SHA once the server has seen a script, by source the
   * first time; a NOSCRIPT reply (the server restarted or flushed its scripts) is re-sent by
   * source. Sending by source on first use keeps every script in order with the commands
   * around it: no extra round trip lets a later command overtake it. `onLate`: see `send`
   * (a late NOSCRIPT reply means that script did not run).
   */
  async evalScripts(
    op: string,
    calls: readonly ScriptCall[],
    phase = op,
    onLate?: (replies: Array<RedisReply | Error>) => void,
  ): Promise<Array<RedisReply | Error>> {
    const commands = calls.map((call) =>
      this.#known.has(call.script.sha1) ? toEvalSha(call) : toEval(call),
    );
    const replies = await this.send(op, commands, phase, onLate);
    calls.forEach((call, index) => {
      if (!isNoScript(replies[index]!)) this.#known.add(call.script.sha1);
    });
    const missing = calls.flatMap((_call, index) => (isNoScript(replies[index]!) ? [index] : []));
    if (missing.length === 0) return replies;
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
    const groups = new Map<number, T[]>();
    for (const key of keys) {
      const slot = this.#driver.slotOf(key);
      const group = groups.get(slot);
      if (group === undefined) groups.set(slot, [key]);
      else group.push(key);
    }
    return [...groups.values()];
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

/** The key an error names: the one key, or every key of the pipeline. */
function keyOf(commands: readonly RedisCommand[]): string | string[] | undefined {
  const keys = commands.map((c) => c.key);
  return keys.length === 1 ? keys[0] : keys;
}

function toEvalSha(call: ScriptCall): RedisCommand {
  return {
    key: call.keys[0] ?? '',
    args: ['EVALSHA', call.script.sha1, String(call.keys.length), ...call.keys, ...call.args],
  };
}

function toEval(call: ScriptCall): RedisCommand {
  return {
    key: call.keys[0] ?? '',
    args: ['EVAL', call.script.source, String(call.keys.length), ...call.keys, ...call.args],
  };
}
