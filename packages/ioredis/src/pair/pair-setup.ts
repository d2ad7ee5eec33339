import type { Redis } from 'ioredis';
import { INVALIDATION_CHANNEL } from '../invalidation/invalidation-message.js';

/** One connection of a pair. */
export type PairSide = 'data' | 'subscriber';

/** What the setup tells its pair. */
export interface SetupEvents {
  /** Both steps are done on the current connections: the pair may open. */
  opened(): void;
  /** A step failed (kept as the pair's `lastError`). */
  failed(error: unknown): void;
  /** True while the pair is open (nothing to set up) or closed (nothing to do). */
  idle(): boolean;
}

/** The first retry of a refused step, in ms; each next one waits twice as long, up to `MAX_RETRY_MS`. */
const FIRST_RETRY_MS = 50;
const MAX_RETRY_MS = 2_000;

/**
 * Sets a tracking pair up on its current connections, in order: the subscriber's id and server
 * (`CLIENT ID`, `INFO server`; a subscribed RESP2 connection can run neither), `SUBSCRIBE
 * __redis__:invalidate`, then on the data connection its server and `CLIENT TRACKING ON
 * REDIRECT <id>`. Each side's part is redone after that side's connection goes (`sideLost`).
 *
 * Both sides must reach the same server: a name or address that moves (a failover behind DNS,
 * a proxy) can take one side's new connection elsewhere, where the subscriber's id is another
 * client's, or nobody's. The servers' `run_id`s are compared before the redirect; on a
 * mismatch the subscriber is reconnected, so both follow the address again.
 *
 * One run at a time; a run asked for meanwhile runs after it. A step refused while both
 * connections stay up (an error reply, such as an ACL that denies `CLIENT`) is tried again
 * after a pause, doubling to `MAX_RETRY_MS`: no connection event would restart it.
 */
export class PairSetup {
  readonly #data: Redis;
  readonly #subscriber: Redis;
  readonly #events: SetupEvents;
  /** Bumped when a side's connection goes, so a step begun on it is not taken as done. */
  readonly #incarnation = { data: 0, subscriber: 0 };
  /** The subscriber's id and server, once its current connection listens on the channel. */
  #listening: { readonly id: string; readonly server: string } | undefined;
  /** The id the data connection's tracking points at, on its current connection. */
  #redirectedTo: string | undefined;
  #running = false;
  #again = false;
  #retry: NodeJS.Timeout | undefined;
  #retryMs = FIRST_RETRY_MS;
  #stopped = false;

  constructor(data: Redis, subscriber: Redis, events: SetupEvents) {
    this.#data = data;
    this.#subscriber = subscriber;
    this.#events = events;
  }

  /** A side's connection went: what was set up on it is gone. */
  sideLost(side: PairSide): void {
    this.#incarnation[side]++;
    if (side === 'data') this.#redirectedTo = undefined;
    else this.#listening = undefined;
  }

  /** Runs the setup (or again after the one running). */
  run(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#retry);
    this.#retry = undefined;
    this.#running = true;
    void this.#steps().finally(() => {
      this.#running = false;
      if (!this.#again) return;
      this.#again = false;
      this.run();
    });
  }

  /** No step runs after this, and no retry is left pending. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#retry);
  }

  async #steps(): Promise<void> {
    while (!this.#stopped && !this.#events.idle() && this.#bothReady()) {
      try {
        const subscriber = this.#listening;
        if (subscriber === undefined) await this.#listen();
        else if (this.#redirectedTo !== subscriber.id) await this.#redirect(subscriber);
        else {
          this.#retryMs = FIRST_RETRY_MS;
          this.#events.opened();
        }
      } catch (error) {
        this.#events.failed(error);
        // A side that closed meanwhile restarts this on its next 'ready'; one still up would not.
        if (this.#bothReady()) this.#retryLater();
        return;
      }
    }
  }

  async #listen(): Promise<void> {
    const incarnation = this.#incarnation.subscriber;
    const [id, info] = await Promise.all([
      this.#subscriber.call('CLIENT', 'ID'),
      this.#subscriber.call('INFO', 'server'),
    ]);
    await this.#subscriber.subscribe(INVALIDATION_CHANNEL);
    if (incarnation === this.#incarnation.subscriber) {
      this.#listening = { id: String(id), server: runIdOf(info) };
    }
  }

  async #redirect(subscriber: { readonly id: string; readonly server: string }): Promise<void> {
    const incarnation = this.#incarnation.data;
    const server = runIdOf(await this.#data.call('INFO', 'server'));
    if (server !== subscriber.server) {
      this.sideLost('subscriber');
      if (this.#subscriber.status === 'ready') this.#subscriber.disconnect(true);
      throw new Error(
        `ioredis: the data and subscriber connections reached different servers (run_id ${server} and ${subscriber.server}): the subscriber reconnects`,
      );
    }
    await this.#data.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', subscriber.id);
    if (incarnation === this.#incarnation.data && this.#listening === subscriber) {
      this.#redirectedTo = subscriber.id;
    }
  }

  #retryLater(): void {
    const delay = this.#retryMs;
    this.#retryMs = Math.min(delay * 2, MAX_RETRY_MS);
    this.#retry = setTimeout(() => this.run(), delay).unref();
  }

  #bothReady(): boolean {
    return this.#data.status === 'ready' && this.#subscriber.status === 'ready';
  }
}

/** The `run_id` in an `INFO server` reply: the server process, whatever address reached it. */
function runIdOf(info: unknown): string {
  const match = /^run_id:([0-9a-f]+)/m.exec(String(info));
  if (match === null) throw new Error('ioredis: INFO server gave no run_id');
  return match[1]!;
}
