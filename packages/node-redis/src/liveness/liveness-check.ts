import { afterPendingIo } from '@redcache/core/internal';
import type { RedisArgument } from '@redis/client';
import { isErrorReply } from '../pipeline/is-error-reply.js';
import type { LivenessCheckOptions } from './liveness-options.js';

/** What the check needs of a node-redis client (any `ClientPort` has it). */
export interface Pingable {
  readonly isReady: boolean;
  sendCommand(
    args: readonly RedisArgument[],
    options?: { typeMapping?: object; timeout?: number },
  ): Promise<unknown>;
}

/**
 * Sends the client a PING every `intervalMs` and calls `onFailure` when one gets no reply
 * within `timeoutMs` or fails. node-redis notices a frozen server, or a network that drops
 * packets without a reset, only when TCP gives up, minutes later; meanwhile the connection
 * delivers no invalidations, and the near cache would serve whatever changed.
 *
 * One PING at a time: while the last one is still unanswered, each check fails again without
 * sending another, so `onFailure` repeats every `intervalMs` until the connection answers. A
 * client that is not ready (connecting, reconnecting) is skipped: node-redis reports that
 * itself (see watch-connection.ts). An error reply is an answer: the connection is alive.
 *
 * node-redis' own `timeout` only drops a command still waiting to be written (a PING behind
 * a full socket buffer, or queued across a reconnect); once written, this check's timer
 * decides. Timers are unref'd: the check never keeps a process alive.
 */
export class LivenessCheck {
  readonly #client: Pingable;
  readonly #options: LivenessCheckOptions;
  readonly #onFailure: () => void;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  /** The last PING, until it settles. */
  #inFlight: Promise<boolean> | undefined;

  constructor(client: Pingable, options: LivenessCheckOptions, onFailure: () => void) {
    this.#client = client;
    this.#options = options;
    this.#onFailure = onFailure;
    this.#next();
  }

  /** No PING is sent after this, and `onFailure` is not called again. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  #next(): void {
    this.#timer = setTimeout(() => void this.#check(), this.#options.intervalMs).unref();
  }

  async #check(): Promise<void> {
    if (this.#client.isReady) {
      const answered = await this.#ping();
      if (this.#stopped) return;
      if (!answered) this.#onFailure();
    }
    if (!this.#stopped) this.#next();
  }

  /** True when the client answers a PING within the timeout; false at once while the last one is unanswered. */
  async #ping(): Promise<boolean> {
    if (this.#inFlight !== undefined) return this.#answeredByNow(this.#inFlight);
    const { timeoutMs } = this.#options;
    // Async, so that a client that throws instead of rejecting fails the check too.
    const send = async () => this.#client.sendCommand(['PING'], { timeout: timeoutMs });
    const inFlight = send()
      .then(
        () => true,
        (error: unknown) => isErrorReply(error),
      )
      .finally(() => {
        this.#inFlight = undefined;
      });
    this.#inFlight = inFlight;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => {
      // Judged after pending I/O: a reply that came while this process was blocked counts.
      timer = setTimeout(() => afterPendingIo(() => resolve(false)), timeoutMs).unref();
    });
    try {
      return await Promise.race([inFlight, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Whether the PING still in flight has been answered once pending I/O is read: after a
   * blocked event loop, its reply may be waiting in the socket while this check runs first.
   */
  #answeredByNow(inFlight: Promise<boolean>): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      let answered = false;
      void inFlight.then((ok) => {
        answered = ok;
      });
      afterPendingIo(() => resolve(answered));
    });
  }
}
