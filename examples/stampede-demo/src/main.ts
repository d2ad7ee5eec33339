/**
 * `pnpm demo`: several processes stampede the same cold keys through redcache, against a
 * real Redis (or, with none to use, several Conns in this process on the in-memory Redis);
 * the output shows that each key's loader ran once, and how every caller got its value.
 * See ../README.md.
 */
import { wallClockMs } from '@redcache/fleet';
import { demoOptions } from './demo-options.js';
import { summarizeKey } from './key-summary.js';
import { type OpenedFleet, openFleet } from './open-fleet.js';
import { plural } from './plural.js';
import { introduction, memoryNotice, results } from './report.js';

/** Lead time before the agreed start instant: room for the request to reach every process. */
const START_DELAY_MS = 200;
/** Values outlive the run only briefly, should cleanup be cut short. */
const TTL_MS = 60_000;

const options = demoOptions(process.argv.slice(2));
let opened: OpenedFleet;
try {
  opened = await openFleet(options.processes);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
const { fleet, fallback } = opened;
if (fallback !== undefined) console.log(`${memoryNotice(options.processes, fallback)}\n`);
console.log(`${introduction(options, fallback !== undefined)}\n`);

const prefix = `redcache-demo:${process.pid}:${Date.now().toString(36)}:`;
const keys = Array.from({ length: options.keys }, (_, i) => `${prefix}product:${i + 1}`);

let cleaning: Promise<void> | undefined;
const cleanup = () => {
  cleaning ??= fleet.close(keys);
  return cleaning;
};
process.once('SIGINT', () => {
  fleet.kill();
  void cleanup().finally(() => process.exit(130));
});

try {
  console.log(fleet.where);
  console.log(`${fleet.members} · keys under ${prefix}\n`);
  const perParticipant = await fleet.stampede({
    keys,
    callers: options.callers,
    loaderMs: options.loaderMs,
    ttlMs: TTL_MS,
    startAt: wallClockMs() + START_DELAY_MS,
  });
  const loaderCalls = await fleet.loaderCalls(keys);
  const summaries = keys.map((key, i) =>
    summarizeKey(
      key,
      perParticipant.flatMap((outcomes) => outcomes.filter((outcome) => outcome.key === key)),
      loaderCalls[i] ?? 0,
    ),
  );
  console.log(results(summaries, prefix));
} finally {
  await cleanup();
  const closed =
    fallback === undefined
      ? `${plural(keys.length * 2, 'key')} deleted, ${plural(options.processes, 'worker process', 'worker processes')} closed`
      : `${plural(options.processes, 'Conn')} closed, the memory Redis goes with this process`;
  console.log(`\nCleaned up: ${closed}.`);
}
