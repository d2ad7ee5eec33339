import type { Driver, RedisArgument, RedisCommand, RedisReply } from '../driver.js';
import { ClosedError, RedisCommandError } from '../errors/errors.js';
import type { Metrics } from '../metrics.js';
import type { Script } from '../wire/scripts/script.js';

/** One script call: its key (one; scripts touch one slot), and its arguments. */
export interface ScriptCall {
  readonly script: Script;
  readonly keys: readonly string[];
  readonly args: readonly RedisArgument[];
}

const isNoScript = (reply: RedisReply | Error): reply is Error =>
  reply instanceof Error && reply.message.startsWith('NOSCRIPT');

/**
 * The user's driver, wrapped once: a closed connection rejects with `ClosedError`, a failed
 * send becomes a `RedisCommandError` naming the operation and keys (and counts `redisError`),
 * scripts go as EVALSHA with one EVAL retry on NOSCRIPT, and work is grouped by slot.
 */
export class RuntimeDriver {
  readonly #driver: Driver;
  readonly #metrics: Metrics;
  /** Scripts the server has run for us: sent by SHA. Others go by source (Redis then caches them). */
  readonly #known = new Set<string>();
  #closed = false;

  constructor(driver: Driver, metrics: Metrics) {
    this.#driver = driver;
    this.#metrics = metrics;
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
   * (`read`, `lock`, `set`, `unlock`, …; `op` when not given).
   */
  async send(op: string, commands: readonly RedisCommand[], phase = op): Promise<Array<RedisReply | Error>> {
    if (this.#closed) throw new ClosedError(op, commands[0]?.key);
    try {
      return await this.#driver.send(commands);
    } catch (error) {
      this.#metrics.redisError(phase);
      const keys = commands.map((c) => c.key);
      throw new RedisCommandError(op, keys.length === 1 ? keys[0] : keys, error, true);
    }
  }

  /**
   * Runs scripts as one pipeline: by SHA once the server has seen a script, by source the
   * first time; a NOSCRIPT reply (the server restarted or flushed its scripts) is re-sent by
   * source. Sending by source on first use keeps every script in order with the commands
   * around it: no extra round trip lets a later command overtake it.
   */
  async evalScripts(
    op: string,
    calls: readonly ScriptCall[],
    phase = op,
  ): Promise<Array<RedisReply | Error>> {
    const commands = calls.map((call) =>
      this.#known.has(call.script.sha1) ? toEvalSha(call) : toEval(call),
    );
    const replies = await this.send(op, commands, phase);
    calls.forEach((call, index) => {
      if (!isNoScript(replies[index]!)) this.#known.add(call.script.sha1);
    });
    const missing = calls.flatMap((_call, index) => (isNoScript(replies[index]!) ? [index] : []));
    if (missing.length === 0) return replies;
    const retried = await this.send(
      op,
      missing.map((index) => toEval(calls[index]!)),
      phase,
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
    return this.#driver.close();
  }
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
