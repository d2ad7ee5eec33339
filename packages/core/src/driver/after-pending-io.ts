import { setImmediate as realSetImmediate } from 'node:timers';

/**
 * Runs `judge` once the event loop has read what its sockets hold. After the process was
 * blocked (synchronous work, a long GC pause), Node runs the expired timers before it polls
 * for I/O, so a deadline judged in its timer callback sees a reply that arrived during the
 * block as missing and blames Redis for the process's own stall. Judged in `setImmediate`
 * (the check phase, after the poll phase), that reply has been read first.
 *
 * The `node:timers` export, not the global: this is about the real event loop's phases, and
 * fake timers (a test's) replace only the global, which would hold `judge` until the clock is
 * advanced once more; the deadlines themselves still run on the (possibly fake) clock.
 */
export function afterPendingIo(judge: () => void): void {
  realSetImmediate(judge);
}

/**
 * Runs `start` once what the current tick queued for writing has been written: a Redis client
 * may write a command in `setImmediate` (node-redis does), and immediates run in the order they
 * were queued, so one queued after the send runs after its write. A bound started here does
 * not count the time the process spends blocked before the command has even left (synchronous
 * work in the same tick), which is the process's stall, not Redis's. (`node:timers`' export,
 * as above.)
 */
export function afterQueuedWrites(start: () => void): void {
  realSetImmediate(start);
}
