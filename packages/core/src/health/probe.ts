/**
 * While started, sends a PING every `intervalMs` (unref'd timer) and calls `onAnswer` the
 * first time one is answered. One PING at a time: while the last is unanswered no other is
 * sent, so a long outage queues at most one PING in the client; its answer, however late,
 * counts. A PING that fails (the client rejects it) lets the next tick send another.
 */
export class Probe {
  readonly #intervalMs: number;
  readonly #ping: () => Promise<unknown>;
  readonly #onAnswer: () => void;
  #timer: NodeJS.Timeout | undefined;
  #inFlight = false;
  #running = false;

  constructor(intervalMs: number, ping: () => Promise<unknown>, onAnswer: () => void) {
    this.#intervalMs = intervalMs;
    this.#ping = ping;
    this.#onAnswer = onAnswer;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#schedule();
  }

  /** Probes now (when running and no PING is in flight), then goes on every interval. */
  now(): void {
    if (!this.#running) return;
    clearTimeout(this.#timer);
    this.#tick();
  }

  stop(): void {
    this.#running = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(): void {
    this.#timer = setTimeout(() => this.#tick(), this.#intervalMs).unref();
  }

  #tick(): void {
    if (!this.#running) return;
    this.#schedule();
    if (this.#inFlight) return;
    this.#inFlight = true;
    let sent: Promise<unknown>;
    try {
      sent = this.#ping();
    } catch (error) {
      sent = Promise.reject(error);
    }
    sent.then(
      () => {
        this.#inFlight = false;
        if (this.#running) this.#onAnswer();
      },
      () => {
        this.#inFlight = false;
      },
    );
  }
}
