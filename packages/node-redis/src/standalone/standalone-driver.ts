import type {
  DriverHealthEvent,
  DriverNode,
  InvalidationListener,
  RedisCommand,
  RedisReply,
} from '@redcache/core';
import {
  CONNECTION_LOST,
  CONNECTION_READY,
  HealthListeners,
  InvalidationListeners,
  LIVENESS_FAILED,
  type LivenessCheckOptions,
  LivenessChecks,
} from '@redcache/core/internal';
import type { ClientPort } from '../client/client-port.js';
import { closeQuietly } from '../client/close-client.js';
import { invalidatedKey } from '../invalidation/invalidated-key.js';
import { type InvalidationSource, invalidationSource } from '../invalidation/invalidation-source.js';
import { type ConnectionEvent, watchConnection } from '../invalidation/watch-connection.js';
import { pingableClient } from '../liveness/pingable-client.js';
import type { NodeRedisDriver } from '../node-redis-driver.js';
import { standaloneNodes } from '../nodes/driver-nodes.js';
import { commandSender, type SendArgs } from '../pipeline/command-sender.js';
import { sendPipeline } from '../pipeline/send-pipeline.js';
import { serverAddress } from './server-address.js';

/** The driver for one standalone client. Internal: the package exports the factory. */
export class StandaloneDriver<C> implements NodeRedisDriver<C> {
  readonly client: C;
  readonly #port: ClientPort;
  readonly #sendArgs: SendArgs;
  readonly #listeners = new InvalidationListeners();
  readonly #health = new HealthListeners();
  readonly #source: InvalidationSource;
  readonly #unwatch: () => void;
  readonly #liveness: LivenessChecks<ClientPort>;
  /** `host:port`, read once from the client's options (fixed once it is created): core asks per script call. */
  #address: string | undefined;
  #closing: Promise<void> | undefined;

  /** `liveness`: the PING that notices a connection gone silent (see core's `LivenessCheck`), or false for none. */
  constructor(client: C, port: ClientPort, liveness: LivenessCheckOptions | false) {
    this.#source = invalidationSource(port);
    this.client = client;
    this.#port = port;
    this.#sendArgs = commandSender(port);
    this.#source.on('invalidate', this.#onInvalidate);
    this.#unwatch = watchConnection(port, this.#onConnection);
    this.#liveness = new LivenessChecks<ClientPort>(
      liveness,
      () => {
        this.#listeners.emit(null);
        this.#health.emit(LIVENESS_FAILED);
      },
      pingableClient,
    );
    this.#liveness.add(port);
  }

  send(commands: readonly RedisCommand[]): Promise<Array<RedisReply | Error>> {
    // One tick, one write: node-redis flushes every command queued in this tick together.
    return sendPipeline(commands, this.#sendArgs);
  }

  onInvalidate(listener: InvalidationListener): () => void {
    return this.#listeners.add(listener);
  }

  /** Reports each lost connection and failed liveness check, and each time the client is ready again. */
  onHealth(listener: (event: DriverHealthEvent) => void): () => void {
    return this.#health.add(listener);
  }

  slotOf(_key: string): number {
    return 0;
  }

  serverOf(_key: string): string {
    this.#address ??= serverAddress(this.#port);
    return this.#address;
  }

  /** The one server (`clear` scans it). */
  nodes(): readonly DriverNode[] {
    return standaloneNodes(this.#port, this.serverOf(''));
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  readonly #onConnection = (event: ConnectionEvent): void => {
    this.#listeners.emit(null);
    this.#health.emit(event === 'ready' ? CONNECTION_READY : CONNECTION_LOST);
  };

  readonly #onInvalidate = (key: unknown): void => {
    const changed = invalidatedKey(key);
    if (changed !== undefined) this.#listeners.emit(changed);
  };

  /** Removes every listener the driver put on the client, stops its PINGs, and leaves the client open. */
  detach(): void {
    this.#liveness.stop();
    this.#source.off('invalidate', this.#onInvalidate);
    this.#unwatch();
    this.#listeners.clear();
    this.#health.clear();
  }

  async #close(): Promise<void> {
    this.detach();
    await closeQuietly(this.#port);
  }
}
