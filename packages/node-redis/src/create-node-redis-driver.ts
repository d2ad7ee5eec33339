import type { Driver, InvalidationListener, RedisCommand, RedisReply } from '@redcache/core';
import {
  RESP_TYPES,
  type RedisClientType,
  type RedisFunctions,
  type RedisModules,
  type RedisScripts,
  type TypeMapping,
} from '@redis/client';
import type { ClientPort } from './client-port.js';
import { InvalidationListeners } from './invalidation-listeners.js';
import { type InvalidationSource, invalidationSource } from './invalidation-source.js';
import { sendPipeline } from './send-pipeline.js';
import { toNodeRedisArgs } from './to-node-redis-args.js';
import { watchConnection } from './watch-connection.js';

/** How the driver reads replies: bytes stay bytes, maps come as flat arrays (see normalize-reply). */
const COMMAND_OPTIONS = {
  typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer, [RESP_TYPES.MAP]: Array },
} as const;

/** How long `close()` waits for pending replies before it drops the connection. */
const CLOSE_GRACE_MS = 5_000;

/** The redcache driver over one node-redis client. `client` is the client it was given. */
export interface NodeRedisDriver<C> extends Driver {
  readonly client: C;
}

/**
 * Wraps a standalone node-redis client (v6.3+) as a redcache `Driver`.
 *
 * The client must use RESP3 and report invalidations: create it with `emitInvalidate: true`
 * (recommended), or with a `clientSideCache`, whose `'invalidate'` events the driver then
 * follows. With a `clientSideCache`, node-redis also keeps its own copies of the values your
 * other code reads through `client.get()`; the driver never reads through that cache (the
 * engine's near cache is the only cache redcache uses), so it only costs memory. Throws
 * `InvalidOptionsError` for any other client. The caller connects the client; `close()`
 * closes it.
 */
export function createNodeRedisDriver<
  M extends RedisModules,
  F extends RedisFunctions,
  S extends RedisScripts,
  T extends TypeMapping,
>(client: RedisClientType<M, F, S, 3, T>): NodeRedisDriver<RedisClientType<M, F, S, 3, T>> {
  return new StandaloneDriver(client, client as unknown as ClientPort);
}

/** The driver for one standalone client. Internal: the package exports the factory. */
export class StandaloneDriver<C> implements NodeRedisDriver<C> {
  readonly client: C;
  readonly #port: ClientPort;
  readonly #listeners = new InvalidationListeners();
  readonly #source: InvalidationSource;
  readonly #unwatch: () => void;
  #closing: Promise<void> | undefined;

  constructor(client: C, port: ClientPort) {
    this.#source = invalidationSource(port);
    this.client = client;
    this.#port = port;
    this.#source.on('invalidate', this.#onInvalidate);
    this.#unwatch = watchConnection(port, () => this.#listeners.emit(null));
  }

  send(commands: readonly RedisCommand[]): Promise<Array<RedisReply | Error>> {
    // One tick, one write: node-redis flushes every command queued in this tick together.
    return sendPipeline(commands, (command) =>
      this.#port.sendCommand(toNodeRedisArgs(command.args), COMMAND_OPTIONS),
    );
  }

  onInvalidate(listener: InvalidationListener): () => void {
    return this.#listeners.add(listener);
  }

  slotOf(_key: string): number {
    return 0;
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  readonly #onInvalidate = (key: unknown): void => {
    if (key === null || key === undefined) this.#listeners.emit(null);
    else if (typeof key === 'string') this.#listeners.emit(key);
    else if (key instanceof Uint8Array)
      this.#listeners.emit(Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('utf8'));
  };

  /** Removes every listener the driver put on the client, and leaves the client open. */
  detach(): void {
    this.#source.off('invalidate', this.#onInvalidate);
    this.#unwatch();
    this.#listeners.clear();
  }

  async #close(): Promise<void> {
    this.detach();
    // A connection error while closing must not become an unhandled 'error' event.
    const ignore = () => {};
    this.#port.on('error', ignore);
    try {
      await closeClient(this.#port);
    } finally {
      this.#port.off('error', ignore);
    }
  }
}

/** Closes gracefully (pending replies first) when connected, else or on failure drops the connection. */
async function closeClient(client: ClientPort): Promise<void> {
  if (!client.isReady) {
    if (client.isOpen) client.destroy();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), CLOSE_GRACE_MS);
  });
  try {
    const outcome = await Promise.race([client.close(), timedOut]);
    if (outcome === 'timeout') client.destroy();
  } catch {
    client.destroy();
  } finally {
    clearTimeout(timer);
  }
}
