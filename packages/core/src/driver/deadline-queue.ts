/** One send waiting for its reply: rejected by the queue once its deadline passes. */
interface Pending {
  readonly deadline: number;
  readonly expire: () => void;
  settled: boolean;
}

/**
 * Bounds every send of one connection with a single timer. All sends share one timeout, so
 * the order they start in is the order their deadlines pass in: the queue is a FIFO, and only
 * its head's deadline needs a timer. A send that settles is marked and dropped once it reaches
 * the head; the timer is armed only while a send is in flight, and unref'd, so it never keeps
 * a process alive. No timer, `AbortSignal` or closure per send beyond its own entry.
 */
export class DeadlineQueue {
  readonly #timeoutMs: number;
  readonly #queue: Pending[] = [];
  /** Index of the head in `#queue` (entries before it are gone; compacted now and then). */
  #head = 0;
  #timer: NodeJS.Timeout | undefined;
  /** The deadline the timer is armed for. */
  #armedFor = Number.POSITIVE_INFINITY;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  /** Sends in flight (settled ones not yet dropped from the head included). */
  get size(): number {
    return this.#queue.length - this.#head;
  }

  /**
   * Resolves or rejects as `work` does, or calls `onTimeout` once its deadline passes and
   * rejects with what it returns; a late settlement of `work` is then ignored.
   */
  bound<T>(work: Promise<T>, onTimeout: () => Error): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry: Pending = {
        deadline: Date.now() + this.#timeoutMs,
        expire: () => reject(onTimeout()),
        settled: false,
      };
      this.#queue.push(entry);
      this.#arm();
      work.then(
        (value) => {
          if (this.#settle(entry)) resolve(value);
        },
        (error: unknown) => {
          if (this.#settle(entry)) reject(error);
        },
      );
    });
  }

  /** Stops the timer for good; sends in flight are then no longer bounded. */
  close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#queue.length = 0;
    this.#head = 0;
  }

  /** Marks `entry` settled; false when it had expired already. */
  #settle(entry: Pending): boolean {
    if (entry.settled) return false;
    entry.settled = true;
    this.#dropSettledHead();
    if (this.size === 0) this.#disarm();
    return true;
  }

  #dropSettledHead(): void {
    while (this.#head < this.#queue.length && this.#queue[this.#head]!.settled) this.#head++;
    if (this.#head === this.#queue.length) {
      this.#queue.length = 0;
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue.splice(0, this.#head);
      this.#head = 0;
    }
  }

  // Date.now(), not performance.now(): fake timers (the tests') move it together with setTimeout.
  /** Arms the timer for the head's deadline, unless it is armed for it (or earlier) already. */
  #arm(): void {
    const head = this.#queue[this.#head];
    if (head === undefined || this.#armedFor <= head.deadline) return;
    clearTimeout(this.#timer);
    this.#armedFor = head.deadline;
    const delay = Math.max(0, Math.ceil(head.deadline - Date.now()));
    this.#timer = setTimeout(this.#onTimer, delay).unref();
  }

  #disarm(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#armedFor = Number.POSITIVE_INFINITY;
  }

  readonly #onTimer = (): void => {
    this.#timer = undefined;
    this.#armedFor = Number.POSITIVE_INFINITY;
    const now = Date.now();
    while (this.#head < this.#queue.length) {
      const head = this.#queue[this.#head]!;
      // A timer may fire a fraction of a millisecond before the deadline it was set for.
      if (!head.settled && head.deadline > now + 1) break;
      this.#head++;
      if (!head.settled) {
        head.settled = true;
        head.expire();
      }
    }
    this.#dropSettledHead();
    this.#arm();
  };
}
