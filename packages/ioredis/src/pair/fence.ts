import { Deferred } from '../promise/deferred.js';

/**
 * The fence of a tracking pair: a PING on the subscriber connection, sent after a reply came
 * on the data connection. Redis writes to each connection in the order it runs commands, so
 * every invalidation caused by a command that ran before the PING (the data command the reply
 * answered, and any write by anyone before it) is on the subscriber socket ahead of the PONG,
 * and ioredis hands it over before the PONG resolves. See docs/ioredis.md, "The fence".
 *
 * Requests made in the same tick share one PING: each was made after its own reply arrived,
 * so one PING sent after all of them fences them all.
 */
export class Fence {
  readonly #ping: () => Promise<unknown>;
  #batch: Deferred | undefined;

  constructor(ping: () => Promise<unknown>) {
    this.#ping = ping;
  }

  /** Settles once a PING sent after this call was answered (rejects as the PING does). */
  request(): Promise<void> {
    let batch = this.#batch;
    if (batch === undefined) {
      batch = new Deferred();
      this.#batch = batch;
      queueMicrotask(this.#flush);
    }
    return batch.promise;
  }

  readonly #flush = (): void => {
    const batch = this.#batch!;
    this.#batch = undefined;
    let sent: Promise<unknown>;
    try {
      sent = this.#ping();
    } catch (error) {
      sent = Promise.reject(error);
    }
    sent.then(() => batch.resolve(), batch.reject);
  };
}
