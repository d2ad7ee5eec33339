import { AsyncLocalStorage } from 'node:async_hooks';
import type { Driver } from '@redcache/core';
import { type RedirectTally, tallyTraceErrors } from './migration-redirects.js';
import { driverHooks } from './resilience-driver-hooks.js';

/**
 * The ASK, MOVED and TRYAGAIN replies an `@redcache/ioredis` cluster driver receives, from
 * ioredis's command trace (`ioredis:command`, `node:diagnostics_channel`): every attempt on a
 * master's data connection counts, the first send of a command as well as those the driver
 * makes when it follows a redirect.
 *
 * ioredis's trace names no connection, so the replies are told apart by the call they belong
 * to: `driver` is wrapped so that each `send` runs in an async context of this tally, which
 * the driver's sends on its connections (and the trace's error report) inherit. Use the
 * driver returned, not `inner`.
 */
export function tallyIoredisRedirects(inner: Driver): {
  readonly driver: Driver;
  readonly redirects: RedirectTally;
} {
  const scope = new AsyncLocalStorage<RedirectTally>();
  const redirects: RedirectTally = tallyTraceErrors(
    'tracing:ioredis:command:error',
    () => scope.getStore() === redirects,
    ({ command, args }) => [String(command).toUpperCase(), ...(Array.isArray(args) ? args.map(String) : [])],
  );
  const driver: Driver = {
    ...driverHooks(inner),
    get client() {
      return inner.client;
    },
    send: (commands) => scope.run(redirects, () => inner.send(commands)),
    onInvalidate: (listener) => inner.onInvalidate(listener),
    slotOf: (key) => inner.slotOf(key),
    close: () => inner.close(),
  };
  return { driver, redirects };
}
