import type {
  Driver,
  DriverHealthEvent,
  DriverNode,
  InvalidationListener,
  RedisArgument,
  RedisCommand,
  RedisReply,
} from '@redcache/core';
import {
  HealthListeners,
  InvalidationListeners,
  LivenessCheck,
  type LivenessCheckOptions,
} from '@redcache/core/internal';
import type { Redis } from 'ioredis';
import { pingableConnection } from '../liveness/pingable-connection.js';
import { closeConnection } from '../pair/close-connection.js';
import { TrackingPair } from '../pair/tracking-pair.js';
import { sendCommands } from '../pipeline/send-commands.js';
import { serverAddress } from './server-address.js';

/**
 * The driver for one Redis server: one tracking pair (see tracking-pair.ts) made from your
 * client, which the driver never sends on (`client` is yours, for `Conn.client`). Internal:
 * the package exports the factory.
 */
export class StandaloneDriver<C> implements Driver<C> {
  readonly client: C;
  readonly #pair: TrackingPair;
  readonly #address: string;
  readonly #listeners = new InvalidationListeners();
  readonly #health = new HealthListeners();
  readonly #checks: LivenessCheck[];
  /** True when `connect` made the client: closing the driver closes it too. */
  readonly #ownsClient: boolean;
  #closing: Promise<void> | undefined;

  constructor(client: C, template: Redis, liveness: LivenessCheckOptions | false, ownsClient: boolean) {
    this.client = client;
    this.#ownsClient = ownsClient;
    this.#address = serverAddress(template);
    this.#pair = new TrackingPair(template, {
      invalidate: (key) => this.#listeners.emit(key),
      health: (event) => this.#health.emit(event),
    });
    this.#checks =
      liveness === false
        ? []
        : (['data', 'subscriber'] as const).map(
            (side) =>
              new LivenessCheck(pingableConnection(this.#pair[side]), liveness, () =>
                this.#pair.resync(side),
              ),
          );
    this.#pair.start();
  }

  send(commands: readonly RedisCommand[]): Promise<Array<RedisReply | Error>> {
    return this.#send(commands.map((command) => command.args));
  }

  onInvalidate(listener: InvalidationListener): () => void {
    return this.#listeners.add(listener);
  }

  /** Reports each break of the pair (a lost connection, a failed fence or liveness check), and each time it is established again. */
  onHealth(listener: (event: DriverHealthEvent) => void): () => void {
    return this.#health.add(listener);
  }

  slotOf(_key: string): number {
    return 0;
  }

  serverOf(_key: string): string {
    return this.#address;
  }

  /** The one server (`clear` scans it). */
  nodes(): readonly DriverNode[] {
    return [{ address: this.#address, send: (commands) => this.#send(commands) }];
  }

  /** Settles once the pair is established; `connect` waits for it. */
  whenEstablished(): Promise<void> {
    return this.#pair.whenEstablished();
  }

  /** The pair's two connections, for tests that break them. Not for sending on. */
  get connections(): { readonly data: Redis; readonly subscriber: Redis } {
    return this.#pair;
  }

  /** The last connection error the pair saw, for `connect`'s message. */
  get lastError(): unknown {
    return this.#pair.lastError;
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  /**
   * Sends on the data connection only while the pair is established, then fences: the reply
   * resolves once every invalidation it caused has been delivered (see docs/ioredis.md).
   */
  async #send(commands: ReadonlyArray<readonly RedisArgument[]>): Promise<Array<RedisReply | Error>> {
    while (!this.#pair.established) await this.#pair.whenEstablished();
    const replies = await sendCommands(this.#pair.data, commands);
    await this.#pair.fence();
    return replies;
  }

  async #close(): Promise<void> {
    for (const check of this.#checks) check.stop();
    await Promise.all([
      this.#pair.close(),
      this.#ownsClient ? closeConnection(this.client as Redis) : undefined,
    ]);
    this.#listeners.clear();
    this.#health.clear();
  }
}
