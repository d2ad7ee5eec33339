import type { AnyChannel, ToChild, ToParent } from './channel.js';

/** What a child does with the parent's messages. */
export interface ChildService<C extends AnyChannel> {
  /** Answers one request; a rejection goes back to the parent as the request's error. */
  handle(request: C['request']): Promise<C['reply']>;
  /** Releases what the child holds (its Conn, its clients) before it exits; a failure is ignored. */
  close(): Promise<unknown>;
}

const send = (message: ToParent) => process.send?.(message);

/**
 * Runs in a child forked by `forkChild`: answers the parent's requests with `service.handle`
 * (several may run at once), and on `close()` from the parent runs `service.close` and exits.
 * Exits too if the parent goes away without closing. Call it last, once the child is set up:
 * it tells the parent that the child is ready.
 */
export function serveParent<C extends AnyChannel>(service: ChildService<C>): void {
  process.on('message', (message: ToChild) => {
    if (message.kind === 'close') {
      const exit = () => process.exit(0);
      Promise.resolve()
        .then(() => service.close())
        .then(exit, exit);
      return;
    }
    const { id } = message;
    Promise.resolve()
      .then(() => service.handle(message.body))
      .then(
        (body) => send({ kind: 'reply', id, body }),
        (error: unknown) => send({ kind: 'failed', id, error: String(error) }),
      );
  });
  // The parent went away (it exited, or was stopped) without closing: do not linger.
  process.on('disconnect', () => process.exit(0));
  send({ kind: 'ready' });
}

/** Sends an event to the parent, unasked (the parent sees it through `nextEvent`). */
export function notifyParent<C extends AnyChannel>(event: C['event']): void {
  send({ kind: 'event', body: event });
}
