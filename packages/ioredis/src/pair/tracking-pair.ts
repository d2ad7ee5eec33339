import type { DriverHealthEvent } from '@redcache/core';
import { CONNECTION_LOST, CONNECTION_READY, LIVENESS_FAILED } from '@redcache/core/internal';
import type { Redis } from 'ioredis';
import { INVALIDATION_CHANNEL, invalidatedKeys } from '../invalidation/invalidation-message.js';
import { closeConnection } from './close-connection.js';
import { Fence } from './fence.js';
import { OWN_CONNECTION } from './own-connection.js';
import { PairGate } from './pair-gate.js';
import { PairSetup, type PairSide } from './pair-setup.js';

export type { PairSide } from './pair-setup.js';

/** Where a tracking pair reports to: each invalidated key (`null`: every key), and its health. */
export interface PairReports {
  invalidate(key: string | null): void;
  health(event: DriverHealthEvent): void;
}

/** How a pair is set up: where it goes, and how long a call may wait for it. */
export interface PairOptions {
  /** `host:port`, for messages. */
  readonly address: string;
  /** How long calls may wait for the pair to be established, in ms (the driver's `connectTimeoutMs`). */
  readonly waitMs: number;
}

/**
 * Client tracking over RESP2, for one Redis node: a data connection with
 * `CLIENT TRACKING ON REDIRECT <id>`, and the subscriber connection `<id>` that receives its
 * invalidations on `__redis__:invalidate`. Both are made from your client with `duplicate()`
 * (see own-connection.ts) and belong to the pair alone.
 *
 * The pair is *established* once the subscriber listens and the data connection's tracking
 * points at it, on their current connections. It stops being so the moment either closes or
 * fails its fence or liveness check, and then reports every key as changed (`null`): Redis
 * forgets a closed connection's tracking, and sends the invalidations of a closed
 * subscriber nowhere. It reports `null` again once established anew. Commands go on the data
 * connection only while established (see `PairGate`); a send that spans a break has seen that
 * `null` while in flight, so the engine does not keep what it read. docs/ioredis.md gives the
 * whole argument.
 */
export class TrackingPair {
  readonly data: Redis;
  readonly subscriber: Redis;
  readonly #reports: PairReports;
  readonly #fence: Fence;
  readonly #gate: PairGate;
  readonly #setup: PairSetup;
  #closed = false;
  /** The last connection error or failed setup step: what `connect` reports when it gives up. */
  lastError: unknown;

  constructor(template: Redis, reports: PairReports, { address, waitMs }: PairOptions) {
    this.#reports = reports;
    this.#gate = new PairGate(waitMs, () => {
      const cause = this.lastError instanceof Error ? `: ${this.lastError.message}` : '';
      return new Error(
        `ioredis: tracking is not set up on ${address} (no connection for ${waitMs} ms; calls go again once both connections are back)${cause}`,
      );
    });
    this.data = template.duplicate(OWN_CONNECTION);
    this.subscriber = template.duplicate(OWN_CONNECTION);
    this.#fence = new Fence(() => this.subscriber.call('PING'));
    this.#setup = new PairSetup(this.data, this.subscriber, {
      opened: () => this.#opened(),
      failed: (error) => {
        this.lastError = error;
      },
      idle: () => this.#closed || this.#gate.open,
    });
    for (const side of ['data', 'subscriber'] as const) {
      const connection = this.#connection(side);
      connection.on('ready', () => this.#setup.run());
      connection.on('close', () => this.breakSide(side, CONNECTION_LOST));
      connection.on('error', (error: unknown) => {
        this.lastError = error;
      });
    }
    this.subscriber.on('messageBuffer', this.#onMessage);
  }

  /** True while every command on the data connection is tracked and its invalidations reach the subscriber. */
  get established(): boolean {
    return this.#gate.open;
  }

  /** Connects both connections (each retries as your client's `retryStrategy` says). */
  start(): void {
    for (const connection of [this.data, this.subscriber]) connection.connect().catch(() => {});
  }

  /**
   * Settles once the pair is established (at once if it is); rejects once the pair is closed, or
   * when it has not been established for `waitMs` since the wait began.
   */
  whenEstablished(): Promise<void> {
    return this.#gate.whenOpen();
  }

  /**
   * Settles once every invalidation caused by a command answered before this call has been
   * delivered (see fence.ts). When the fence fails, the pair breaks first: the caller's reads
   * are then covered by the `null` that reports.
   */
  async fence(): Promise<void> {
    const epoch = this.#gate.epoch;
    try {
      await this.#fence.request();
    } catch (error) {
      this.lastError = error;
      if (epoch === this.#gate.epoch) this.resync('subscriber', CONNECTION_LOST);
    }
  }

  /** A side failed its liveness check (or fence): the pair breaks and that side reconnects. */
  resync(side: PairSide, event: DriverHealthEvent = LIVENESS_FAILED): void {
    this.breakSide(side, event);
    const connection = this.#connection(side);
    if (!this.#closed && connection.status === 'ready') connection.disconnect(true);
  }

  /**
   * Breaks the pair now if one of its connections has gone before ioredis said so (its
   * `'close'`): the server closed the socket (its read side ended, then its write side, while
   * the status stays `'ready'`), or the socket closed (the status is set at once, the event
   * emitted on a later tick). A command written then would be refused unsent ("Stream isn't
   * writeable") or never answered, instead of waiting for the pair.
   */
  noticeLostSides(): void {
    if (!this.#gate.open) return;
    for (const side of ['data', 'subscriber'] as const) {
      if (!isLive(this.#connection(side))) this.breakSide(side, CONNECTION_LOST);
    }
  }

  /** A side's connection went (or is about to): forget what was set up on it, and break the pair. */
  breakSide(side: PairSide, event: DriverHealthEvent): void {
    this.#setup.sideLost(side);
    if (this.#gate.shut()) {
      this.#reports.invalidate(null);
      this.#reports.health(event);
    } else if (event === LIVENESS_FAILED) {
      this.#reports.health(event);
    }
  }

  /** Closes both connections; `whenEstablished` rejects from now on. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#setup.stop();
    this.#gate.close();
    await Promise.all([closeConnection(this.data), closeConnection(this.subscriber)]);
  }

  #connection(side: PairSide): Redis {
    return side === 'data' ? this.data : this.subscriber;
  }

  #opened(): void {
    this.#gate.openUp();
    this.#reports.invalidate(null);
    this.#reports.health(CONNECTION_READY);
  }

  readonly #onMessage = (channel: Buffer, message: unknown): void => {
    if (channel.toString() !== INVALIDATION_CHANNEL) return;
    const keys = invalidatedKeys(message);
    if (keys === null) this.#reports.invalidate(null);
    else for (const key of keys) this.#reports.invalidate(key);
  };
}

/** Whether `connection` can still send and be answered: ready, its socket open both ways. */
function isLive(connection: Redis): boolean {
  const socket = connection.stream as { readable?: boolean; writable?: boolean } | undefined;
  return connection.status === 'ready' && socket?.readable === true && socket.writable === true;
}
