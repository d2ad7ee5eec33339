import type { Driver } from '@redcache/core';
import { driverHooks } from './resilience-driver-hooks.js';

/** The reply of one send, held back by the test. */
export interface HeldReply {
  /** Resolves once the commands went to Redis (their reply is on its way, or in). */
  readonly sent: Promise<void>;
  /** Hands the engine its reply, now or as soon as it arrives. */
  deliver(): void;
}

/** A driver whose test can hold back the reply of a send: a command "in flight" for as long as it likes. */
export interface HeldReplyDriver extends Driver {
  /** Holds the reply of the next send with a command for `key`. */
  holdReplyOf(key: string): HeldReply;
}

/**
 * Wraps `inner`. Commands go to Redis at once, as always; only the reply of a held send
 * reaches the engine when the test says so — for example a read that answers during close().
 */
export function heldReplyDriver(inner: Driver): HeldReplyDriver {
  const holds: Array<{ key: string; sent: () => void; delivered: Promise<void> }> = [];
  return {
    ...driverHooks(inner),
    get client() {
      return inner.client;
    },
    async send(commands) {
      const index = holds.findIndex((hold) => commands.some((c) => c.key === hold.key));
      const replies = inner.send(commands);
      if (index < 0) return replies;
      // Observed now, returned later: a failure while held is not an unhandled rejection.
      replies.catch(() => {});
      const [hold] = holds.splice(index, 1);
      hold!.sent();
      await hold!.delivered;
      return replies;
    },
    onInvalidate: (listener) => inner.onInvalidate(listener),
    slotOf: (key) => inner.slotOf(key),
    close: () => inner.close(),
    holdReplyOf(key) {
      let sent!: () => void;
      let deliver!: () => void;
      const sentPromise = new Promise<void>((resolve) => {
        sent = resolve;
      });
      const delivered = new Promise<void>((resolve) => {
        deliver = resolve;
      });
      holds.push({ key, sent, delivered });
      return { sent: sentPromise, deliver };
    },
  };
}
