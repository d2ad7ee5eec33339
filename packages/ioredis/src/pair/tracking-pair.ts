import type { DriverHealthEvent } from '@redcache/core';
import { CONNECTION_LOST, CONNECTION_READY, LIVENESS_FAILED } from '@redcache/core/internal';
import type { Redis } from 'ioredis';
import { INVALIDATION_CHANNEL, invalidatedKeys } from '../invalidation/invalidation-message.js';
import { closeConnection } from './close-connection.js';
import { Fence } from './fence.js';
import { OWN_CONNECTION } from './own-connection.js';
import { PairGate } from './pair-gate.js';

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

/** One connection of a pair. */
export type PairSide = 'data' | 'subscriber';

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
  /** The subscriber's client id, once its current connection listens on the channel. */
  #subscriberId: string | undefined;
  /** The id the data connection's tracking points at, on its current connection. */
  #redirectedTo: string | undefined;
  /** Bumped when a side's connection goes, so a setup step begun on it is not taken as done. */
  readonly #incarnation = { data: 0, subscriber: 0 };
  #establishing = false;
  /** A 'ready' came while a setup ran: run it again after, the side it names may have been down then. */
  #again = false;
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
    for (const side of ['data', 'subscriber'] as const) {
      const connection = this.#connection(side);
      connection.on('ready', () => this.#establish());
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
    this.#incarnation[side]++;
    if (side === 'data') this.#redirectedTo = undefined;
    else this.#subscriberId = undefined;
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
    this.#gate.close();
    await Promise.all([closeConnection(this.data), closeConnection(this.subscriber)]);
  }

  #connection(side: PairSide): Redis {
    return side === 'data' ? this.data : this.subscriber;
  }

  /** Sets the pair up on its current connections, one step at a time, until established or a side is down. */
  #establish(): void {
    if (this.#establishing) {
      this.#again = true;
      return;
    }
    this.#establishing = true;
    void this.#runSetup().finally(() => {
      this.#establishing = false;
      if (!this.#again) return;
      this.#again = false;
      this.#establish();
    });
  }

  async #runSetup(): Promise<void> {
    while (!this.#closed && !this.#gate.open && this.#bothReady()) {
      try {
        if (this.#subscriberId === undefined) await this.#listen();
        else if (this.#redirectedTo !== this.#subscriberId) await this.#redirect(this.#subscriberId);
        else this.#opened();
      } catch (error) {
        // A side that closed meanwhile restarts this on its next 'ready'; an error reply
        // (an ACL that denies CLIENT, say) would only repeat: stop, and let connect report it.
        this.lastError = error;
        return;
      }
    }
  }

  async #listen(): Promise<void> {
    const incarnation = this.#incarnation.subscriber;
    const id = String(await this.subscriber.call('CLIENT', 'ID'));
    await this.subscriber.subscribe(INVALIDATION_CHANNEL);
    if (incarnation === this.#incarnation.subscriber) this.#subscriberId = id;
  }

  async #redirect(id: string): Promise<void> {
    const incarnation = this.#incarnation.data;
    await this.data.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', id);
    if (incarnation === this.#incarnation.data && id === this.#subscriberId) this.#redirectedTo = id;
  }

  #opened(): void {
    this.#gate.openUp();
    this.#reports.invalidate(null);
    this.#reports.health(CONNECTION_READY);
  }

  #bothReady(): boolean {
    return this.data.status === 'ready' && this.subscriber.status === 'ready';
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
