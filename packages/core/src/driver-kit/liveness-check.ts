import { afterPendingIo } from '../driver/after-pending-io.js';
import type { LivenessCheckOptions } from './liveness-options.js';

/** A connection the liveness check can PING. */
export interface Pingable {
  /** False while the connection is connecting or reconnecting: the check skips it. */
  readonly isReady: boolean;
  /**
   * Sends one PING; resolves true when the connection answered (an error reply is an answer:
   * the connection is alive), false or rejects when it did not. `timeoutMs` is the check's
   * timeout, for clients that can drop a command still waiting to be written.
   */
  ping(timeoutMs: number): Promise<boolean>;
}

/**
 * Sends the connection a PING every `intervalMs` and calls `onFailure` when one gets no reply
 * within `timeoutMs` of being written, or fails. A Redis client notices a frozen server, or a network that drops
 * packets without a reset, only when TCP gives up, minutes later; meanwhile the connection
 * delivers no invalidations, and the near cache would serve whatever changed.
 *
 * One PING at a time: while the last one is still unanswered, each check fails again without
 * sending another, so `onFailure` repeats every `intervalMs` until the connection answers. A
 * connection that is not ready (connecting, reconnecting) is skipped: the driver reports that
 * itself. An error reply is an answer: the connection is alive (see `Pingable.ping`).
 *
 * A client's own command timeout may only drop a PING still waiting to be written (behind a
 * full socket buffer, or queued across a reconnect); once written, this check's timer decides.
 * Timers are unref'd: the check never keeps a process alive.
 */
export class LivenessCheck {
  readonly #pingable: Pingable;
  readonly #options: LivenessCheckOptions;
  readonly #onFailure: () => void;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  /** The last PING, until it settles. */
  #inFlight: Promise<boolean> | undefined;

  /** Starts checking at once: the first PING goes out after `options.intervalMs`. */
  constructor(pingable: Pingable, options: LivenessCheckOptions, onFailure: () => void) {
    this.#pingable = pingable;
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
    if (this.#pingable.isReady) {
      const answered = await this.#ping();
      if (this.#stopped) return;
      if (!answered) this.#onFailure();
    }
    if (!this.#stopped) this.#next();
  }

  /** True when the connection answers a PING in time; false at once while the last one is unanswered. */
  async #ping(): Promise<boolean> {
    if (this.#inFlight !== undefined) return this.#answeredByNow(this.#inFlight);
    const { timeoutMs } = this.#options;
    // Async, so that a ping that throws instead of rejecting fails the check too.
    const send = async () => this.#pingable.ping(timeoutMs);
    const inFlight = send()
      .then(
        (answered) => answered === true,
        () => false,
      )
      .finally(() => {
        this.#inFlight = undefined;
      });
    this.#inFlight = inFlight;
    let timer: NodeJS.Timeout | undefined;
    let judged = false;
    const late = new Promise<false>((resolve) => {
      // The bound starts once the PING is written (not while this tick still runs), and is
      // judged after pending I/O: a reply that came while this process was blocked counts.
      afterPendingIo(() => {
        if (judged) return;
        timer = setTimeout(() => afterPendingIo(() => resolve(false)), timeoutMs).unref();
      });
    });
    try {
      return await Promise.race([inFlight, late]);
    } finally {
      judged = true;
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
