import { afterPendingIo } from './after-pending-io.js';

/** How late the timer may fire (ms) before the lateness counts as the process's own stall. */
const STALL_MS = 2;

/** One send waiting for its reply: expired by the queue once its deadline passes, unless settled. */
export interface Deadline {
  /** `Date.now()` past which it expires: `deadlineFromNow()` when it was added. */
  readonly deadline: number;
  /** Set by the queue (`settle`, or just before `expire`); starts false. */
  settled: boolean;
  /** Called once, when the deadline passed before the send settled. */
  expire(): void;
}

/**
 * Bounds every send of one connection with a single timer. All sends share one timeout, so
 * the order they start in is the order their deadlines pass in: the queue is a FIFO, and only
 * its head's deadline needs a timer. A send that settles is marked and dropped once it reaches
 * the head. The timer is not cleared when the last send settles: sends one after the other
 * (a sequential cold miss makes two) would each arm and clear one. It stays armed for the
 * deadline it was set for, which no later send's deadline precedes, and when it fires with
 * nothing in flight it just ends: at most one timer, at most one bound after the last send.
 * It is unref'd, so it never keeps a process alive. No timer, `AbortSignal` or closure per
 * send beyond its own entry.
 */
export class DeadlineQueue {
  readonly #timeoutMs: number;
  readonly #queue: Deadline[] = [];
  /** Index of the head in `#queue` (entries before it are gone; compacted now and then). */
  #head = 0;
  #timer: NodeJS.Timeout | undefined;
  /** The deadline the timer is armed for. */
  #armedFor = Number.POSITIVE_INFINITY;
  /** No send expires before this: the time the process itself stalled is given back (see #onTimer). */
  #graceUntil = 0;

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
      const entry: Deadline = {
        deadline: this.deadlineFromNow(),
        expire: () => reject(onTimeout()),
        settled: false,
      };
      this.add(entry);
      work.then(
        (value) => {
          if (this.settle(entry)) resolve(value);
        },
        (error: unknown) => {
          if (this.settle(entry)) reject(error);
        },
      );
    });
  }

  /** The deadline of a send starting now. */
  deadlineFromNow(): number {
    return Date.now() + this.#timeoutMs;
  }

  /**
   * Bounds a send the caller settles itself (`settle`, as its reply or failure comes): what
   * `bound` does, without a promise of its own. `entry.deadline` must be `deadlineFromNow()`.
   */
  add(entry: Deadline): void {
    this.#queue.push(entry);
    this.#arm();
  }

  /** Stops the timer for good; sends in flight are then no longer bounded. */
  close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#queue.length = 0;
    this.#head = 0;
  }

  /** Marks `entry` settled (its send answered or failed); false when it had expired already. */
  settle(entry: Deadline): boolean {
    if (entry.settled) return false;
    entry.settled = true;
    this.#dropSettledHead();
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
    if (head === undefined) return;
    const due = Math.max(head.deadline, this.#graceUntil);
    if (this.#armedFor <= due) return;
    clearTimeout(this.#timer);
    this.#armedFor = due;
    const delay = Math.max(0, Math.ceil(due - Date.now()));
    this.#timer = setTimeout(this.#onTimer, delay).unref();
  }

  readonly #onTimer = (): void => {
    // A timer that fires late says the event loop was blocked: a send made just before the
    // block may not even have been written until it ended. The stall is the process's, not
    // Redis's: it is given back (at most one bound more) before anything expires.
    const now = Date.now();
    const late = now - this.#armedFor;
    this.#timer = undefined;
    this.#armedFor = Number.POSITIVE_INFINITY;
    // Nothing in flight (every send settled before its deadline): the timer just ends.
    if (this.size === 0) return;
    if (late > STALL_MS) this.#graceUntil = now + Math.min(this.#timeoutMs, late);
    // Not at once: replies that came while the process was blocked are read first.
    afterPendingIo(this.#expireDue);
  };

  readonly #expireDue = (): void => {
    const now = Date.now();
    while (this.#head < this.#queue.length) {
      const head = this.#queue[this.#head]!;
      // A timer may fire a fraction of a millisecond before the deadline it was set for.
      if (!head.settled && Math.max(head.deadline, this.#graceUntil) > now + 1) break;
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
