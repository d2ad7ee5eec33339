import type {
  Driver,
  DriverHealthEvent,
  DriverNode,
  InvalidationListener,
  RedisCommand,
  RedisReply,
} from '@redcache/core';
import type { LivenessCheck, LivenessCheckOptions } from '@redcache/core/internal';
import type { Redis } from 'ioredis';
import { closeConnection } from '../pair/close-connection.js';
import { DriverEvents } from '../pair/driver-events.js';
import { pairChecks } from '../pair/pair-checks.js';
import { sendOnPair } from '../pair/send-on-pair.js';
import { TrackingPair } from '../pair/tracking-pair.js';
import { serverAddress } from './server-address.js';

/** How the standalone driver is made (see `driverFor`). */
export interface StandaloneOptions {
  readonly liveness: LivenessCheckOptions | false;
  /** True when `connect` made the client: closing the driver closes it too. */
  readonly ownsClient: boolean;
  /** How long a call may wait for the tracking pair, in ms (`connectTimeoutMs`). */
  readonly waitMs: number;
}

/**
 * The driver for one Redis server: one tracking pair (see tracking-pair.ts) made from your
 * client, which the driver never sends on (`client` is yours, for `Conn.client`). Internal:
 * the package exports the factory.
 */
export class StandaloneDriver<C> implements Driver<C> {
  readonly client: C;
  readonly #pair: TrackingPair;
  readonly #address: string;
  readonly #events = new DriverEvents();
  readonly #checks: LivenessCheck[];
  /** True when `connect` made the client: closing the driver closes it too. */
  readonly #ownsClient: boolean;
  #closing: Promise<void> | undefined;

  constructor(client: C, template: Redis, { liveness, ownsClient, waitMs }: StandaloneOptions) {
    this.client = client;
    this.#ownsClient = ownsClient;
    this.#address = serverAddress(template);
    this.#pair = new TrackingPair(template, this.#events, { address: this.#address, waitMs });
    this.#checks = pairChecks(this.#pair, liveness);
    this.#pair.start();
  }

  send(commands: readonly RedisCommand[]): Promise<Array<RedisReply | Error>> {
    return sendOnPair(
      this.#pair,
      commands.map((command) => command.args),
    );
  }

  onInvalidate(listener: InvalidationListener): () => void {
    return this.#events.onInvalidate(listener);
  }

  /** Reports each break of the pair (a lost connection, a failed fence or liveness check), and each time it is established again. */
  onHealth(listener: (event: DriverHealthEvent) => void): () => void {
    return this.#events.onHealth(listener);
  }

  slotOf(_key: string): number {
    return 0;
  }

  serverOf(_key: string): string {
    return this.#address;
  }

  /** The one server (`clear` scans it). */
  nodes(): readonly DriverNode[] {
    return [{ address: this.#address, send: (commands) => sendOnPair(this.#pair, commands) }];
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

  async #close(): Promise<void> {
    for (const check of this.#checks) check.stop();
    await Promise.all([
      this.#pair.close(),
      this.#ownsClient ? closeConnection(this.client as Redis) : undefined,
    ]);
    this.#events.clear();
  }
}
