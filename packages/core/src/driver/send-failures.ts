import type { DriverNode, RedisCommand } from '../driver.js';
import { RedisCommandError } from '../errors/errors.js';
import { CommandTimeoutError } from '../errors/resilience-errors.js';
import type { RedisHealth } from '../health/redis-health.js';
import type { Metrics } from '../metrics.js';
import { keyOf } from './slot-groups.js';

/**
 * A connection's failed sends: each counted (`redisError` of its phase, `commandTimeout` of its
 * operation), told to the breaker, and named (the operation, the keys, the server).
 */
export class SendFailures {
  readonly #metrics: Metrics;
  readonly #health: RedisHealth | undefined;
  readonly #timeoutMs: number | false;
  readonly #serverOfKey: ((key: string) => string) | undefined;

  constructor(
    metrics: Metrics,
    health: RedisHealth | undefined,
    timeoutMs: number | false,
    serverOfKey: ((key: string) => string) | undefined,
  ) {
    this.#metrics = metrics;
    this.#health = health;
    this.#timeoutMs = timeoutMs;
    this.#serverOfKey = serverOfKey;
  }

  /** The round trip ran past the bound: counted, told to the breaker, named. */
  timedOut(
    op: string,
    commands: readonly RedisCommand[],
    phase: string,
    node: DriverNode | undefined,
  ): CommandTimeoutError {
    this.#countTimeout(op, phase);
    return new CommandTimeoutError(
      op,
      keyOf(commands),
      this.#timeoutMs as number,
      this.serverOf(commands, node),
    );
  }

  /** Nothing could be sent or read: counted, told to the breaker, named. */
  failed(
    op: string,
    commands: readonly RedisCommand[],
    phase: string,
    error: unknown,
    node: DriverNode | undefined,
  ): RedisCommandError {
    this.#metrics.redisError(phase);
    this.#health?.lostConnection();
    return new RedisCommandError(op, keyOf(commands), error, true, this.serverOf(commands, node));
  }

  /** A merged send's failure, counted for one more caller as its own send would have been. */
  countAgain(error: unknown, op: string, phase: string): void {
    if (error instanceof CommandTimeoutError) this.#countTimeout(op, phase);
    else if (error instanceof RedisCommandError) this.#metrics.redisError(phase);
  }

  #countTimeout(op: string, phase: string): void {
    this.#metrics.redisError(phase);
    this.#metrics.commandTimeout?.(op);
    this.#health?.timedOut();
  }

  /** The node the commands went to, when the driver can say (computed only for an error). */
  serverOf(commands: readonly RedisCommand[], node?: DriverNode): string | undefined {
    if (node !== undefined) return node.address;
    const key = commands[0]?.key;
    if (key === undefined || this.#serverOfKey === undefined) return undefined;
    try {
      return this.#serverOfKey(key);
    } catch {
      return undefined;
    }
  }
}
