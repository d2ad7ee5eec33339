import { messageOf } from '../errors/errors.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { RefreshJob } from './refresh-job.js';

export interface RefreshPoolOptions {
  readonly workers: number;
  readonly queueSize: number;
}

type Runner = (job: RefreshJob, keys: string[]) => Promise<void>;

/**
 * A bounded pool of refresh workers. A key already queued or running in this process is
 * skipped (`refreshSkipped`); a job that finds the queue full is dropped, newest first
 * (`refreshDropped`): the stale value keeps being served and a later hit may try again.
 * `close()` drops what is queued; what runs is aborted and awaited by the connection's close.
 */
export class RefreshPool {
  readonly #options: RefreshPoolOptions;
  readonly #metrics: Metrics;
  readonly #logger: Logger;
  readonly #run: Runner;
  readonly #queue: Array<{ job: RefreshJob; keys: string[] }> = [];
  readonly #inFlight = new Set<string>();
  readonly #running = new Set<Promise<void>>();
  #closed = false;

  constructor(options: RefreshPoolOptions, metrics: Metrics, logger: Logger, run: Runner) {
    this.#options = options;
    this.#metrics = metrics;
    this.#logger = logger;
    this.#run = run;
  }

  /** Keys refreshing or waiting to, in this process. */
  get inFlight(): ReadonlySet<string> {
    return this.#inFlight;
  }

  offer(job: RefreshJob, keys: readonly string[]): void {
    if (this.#closed) {
      this.#metrics.refreshDropped(keys.length);
      return;
    }
    const fresh = keys.filter((key) => !this.#inFlight.has(key));
    if (fresh.length < keys.length) this.#metrics.refreshSkipped(keys.length - fresh.length);
    if (fresh.length === 0) return;
    if (this.#queue.length >= this.#options.queueSize) {
      this.#metrics.refreshDropped(fresh.length);
      return;
    }
    for (const key of fresh) this.#inFlight.add(key);
    this.#queue.push({ job, keys: fresh });
    this.#metrics.refreshTriggered(fresh.length);
    this.#pump();
  }

  /**
   * Takes no more jobs and drops what is queued. Jobs that run are operations of the
   * connection: its close aborts them, and waits for them.
   */
  close(): void {
    this.#closed = true;
    for (const { keys } of this.#queue.splice(0)) {
      for (const key of keys) this.#inFlight.delete(key);
      this.#metrics.refreshDropped(keys.length);
    }
  }

  #pump(): void {
    while (this.#running.size < this.#options.workers && this.#queue.length > 0) {
      const { job, keys } = this.#queue.shift()!;
      const running = this.#execute(job, keys);
      this.#running.add(running);
      void running.finally(() => {
        this.#running.delete(running);
        this.#pump();
      });
    }
  }

  async #execute(job: RefreshJob, keys: string[]): Promise<void> {
    try {
      await this.#run(job, keys);
    } catch (error) {
      this.#logger.error('redcache: refresh failed', { op: 'refresh', keys, error: messageOf(error) });
    } finally {
      for (const key of keys) this.#inFlight.delete(key);
    }
  }
}
