import { setImmediate as realSetImmediate } from 'node:timers';

/**
 * Runs `judge` once the event loop has read what its sockets hold. After the process was
 * blocked (synchronous work, a long GC pause), Node runs the expired timers before it polls
 * for I/O, so a deadline judged in its timer callback sees a reply that arrived during the
 * block as missing and blames Redis for the process's own stall. Judged in `setImmediate`
 * (the check phase, after the poll phase), that reply has been read first.
 *
 * The same phase also comes after every immediate queued before `judge`, a Redis client's write
 * of this tick among them (node-redis writes in `setImmediate`): a bound started here does not
 * count the time the process was blocked before its command even left.
 *
 * The `node:timers` export, not the global: this is about the real event loop's phases, and
 * fake timers (a test's) replace only the global, which would hold `judge` until the clock is
 * advanced once more; the deadlines themselves still run on the (possibly fake) clock.
 */
export function afterPendingIo(judge: () => void): void {
  realSetImmediate(judge);
}
