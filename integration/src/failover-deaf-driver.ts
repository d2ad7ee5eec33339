import type { Driver } from '@redcache/core';

/**
 * `inner`, except that its `null` reports (a flush, a lost or renewed connection) never reach
 * the engine; key invalidations do. A control for tests: what a Conn would serve if the
 * driver did not report connection loss.
 */
export function deafToFlush(inner: Driver): Driver {
  return {
    get client() {
      return inner.client;
    },
    send: (commands) => inner.send(commands),
    onInvalidate: (listener) =>
      inner.onInvalidate((key) => {
        if (key !== null) listener(key);
      }),
    slotOf: (key) => inner.slotOf(key),
    close: () => inner.close(),
  };
}
