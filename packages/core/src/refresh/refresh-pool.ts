import { ClosedError, messageOf } from '../errors/errors.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { RefreshJob } from './refresh-job.js';

export interface RefreshPoolOptions {
  readonly workers: number;
  readonly queueSize: number;
}

type Runner = (job: RefreshJob, keys: string[], signal: AbortSignal) => Promise<void>;

/**
 * A bounded pool of refresh workers. A key already queued or running in this process is
 * skipped (`refreshSkipped`); a job that finds the queue full is dropped, newest first
 * (`refreshDropped`): the stale value keeps being served and a later hit may try again.
 * `close()` drops what is queued, aborts what runs, and waits for it within a bound.
 */
export class RefreshPool {
  readonly #options: RefreshPoolOptions;
  readonly #metrics: Metrics;
  readonly #logger: Logger;
  readonly #run: Runner;
  readonly #queue: Array<{ job: RefreshJob; keys: string[] }> = [];
  readonly #inFlight = new Set<string>();
  readonly #running = new Set<Promise<void>>();
  readonly #controller = new AbortController();

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
    if (this.#controller.signal.aborted) {
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

  async close(boundMs: number): Promise<void> {
    this.#controller.abort(new ClosedError('refresh'));
    for (const { keys } of this.#queue.splice(0)) {
      for (const key of keys) this.#inFlight.delete(key);
      this.#metrics.refreshDropped(keys.length);
    }
    if (this.#running.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.#running]),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, boundMs);
      }),
    ]);
    clearTimeout(timer);
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
      await this.#run(job, keys, this.#controller.signal);
    } catch (error) {
      this.#logger.error('redcache: refresh failed', { keys, error: messageOf(error) });
    } finally {
      for (const key of keys) this.#inFlight.delete(key);
    }
  }
}
