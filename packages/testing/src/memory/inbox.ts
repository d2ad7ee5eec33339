import { afterMicrotasks } from '@redcache/core/internal';

/**
 * What a connection receives, in order: an invalidation push, the settling of a reply, or an
 * event of the client's own (a health report: `run` is called in its place in the stream).
 */
export type Delivery =
  | { readonly kind: 'push'; readonly key: string | null }
  | { readonly kind: 'reply'; readonly deliver: () => void; readonly fail: (error: Error) => void }
  | { readonly kind: 'event'; readonly run: () => void };

/**
 * A connection's incoming stream, like a socket read by a prompt client. What the server
 * produces while the process runs (one pipeline's pushes and reply, and any pushes other
 * connections' commands produce meanwhile) arrives as one chunk, once the microtask queue is
 * empty; a chunk is handled in order and at once, then the callers' continuations run before
 * the next chunk. So the pushes a command causes reach the listeners before its reply
 * resolves (they precede it in the chunk), and a push produced after a reply was delivered
 * arrives after the caller has seen that reply. `pause()` holds chunks back, as a busy event
 * loop does; `resume()` hands over everything held as one chunk. Neither microtasks nor
 * `process.nextTick` are held back by vitest's fake timers (unless `nextTick` is faked).
 */
export class Inbox {
  readonly #pending: Delivery[] = [];
  readonly #onPush: (key: string | null) => void;
  #scheduled = false;
  #paused = false;

  constructor(onPush: (key: string | null) => void) {
    this.#onPush = onPush;
  }

  push(delivery: Delivery): void {
    this.#pending.push(delivery);
    this.#schedule();
  }

  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    this.#paused = false;
    this.#schedule();
  }

  /**
   * Empties the stream, as a dead socket does: returns the replies that will never arrive.
   * Pushes are lost; the client's own events stay queued.
   */
  abandon(): Array<Extract<Delivery, { kind: 'reply' }>> {
    const replies = this.#pending.filter((delivery) => delivery.kind === 'reply');
    const events = this.#pending.filter((delivery) => delivery.kind === 'event');
    this.#pending.splice(0, this.#pending.length, ...events);
    return replies;
  }

  #schedule(): void {
    if (this.#scheduled || this.#paused || this.#pending.length === 0) return;
    this.#scheduled = true;
    afterMicrotasks(() => this.#drain());
  }

  #drain(): void {
    this.#scheduled = false;
    if (this.#paused) return;
    for (const delivery of this.#pending.splice(0)) {
      if (delivery.kind === 'push') this.#onPush(delivery.key);
      else if (delivery.kind === 'reply') delivery.deliver();
      else delivery.run();
    }
  }
}
