import { columns } from './columns.js';
import type { DemoOptions } from './demo-options.js';
import type { KeySummary } from './key-summary.js';
import { plural } from './plural.js';

/** The 3-4 lines that say what the run is about to show; `inOneProcess` on the memory Redis. */
export function introduction(options: DemoOptions, inOneProcess: boolean): string {
  const { processes, keys, callers, loaderMs } = options;
  const who = inOneProcess
    ? `${plural(processes, 'Conn')} in this one process, each with its own connection, near cache and single flight,`
    : `${plural(processes, 'process', 'processes')}, each with its own Conn (Redis connection, near cache, single flight),`;
  const each = inOneProcess ? 'Conn' : 'process';
  return [
    'redcache stampede demo',
    `  ${who}`,
    `  ask for the same ${plural(keys, 'cold key')} at the same instant, ${callers} concurrent callers per ${each} per key.`,
    `  The loader takes ${loaderMs} ms and counts its calls: unprotected, ${processes * callers} calls per key.`,
    `  redcache: one flight per key in each ${each}, one lock across them, the rest woken by push.`,
  ].join('\n');
}

/** Says plainly that the run is on the memory Redis, in one process, and why. */
export function memoryNotice(conns: number, why: string): string {
  return [
    'No Redis to run against, so this run uses the in-memory Redis from @redcache/testing.',
    `  Why: ${why}`,
    `  The same stampede runs with ${plural(conns, 'Conn')} in this one process standing in for ${plural(conns, 'worker process', 'worker processes')}:`,
    '  each Conn has its own connection, near cache and single flight, and the memory Redis runs',
    "  redcache's Lua scripts and sends the invalidation pushes, so the engine does what it does on Redis.",
    '  To run it across real processes: install redis-server (apt-get install redis-server,',
    '  brew install redis) or set REDIS_URL.',
  ].join('\n');
}

/** Per key: what Redis saw, then how every caller got its value; then the verdict. */
export function results(summaries: readonly KeySummary[], prefix: string): string {
  const name = (summary: KeySummary) => summary.key.slice(prefix.length);
  const callersPerKey = summaries[0]?.callers ?? 0;
  const waits = new Map<string, number>();
  for (const summary of summaries) {
    for (const [reason, count] of Object.entries(summary.waits))
      waits.set(reason, (waits.get(reason) ?? 0) + count);
  }
  const waitingFlights = summaries.reduce(
    (total, s) => total + s.woken.invalidation + s.woken.poll + s.woken.timeout + s.woken.flush,
    0,
  );
  const waitCount = [...waits.values()].reduce((a, b) => a + b, 0);
  const lines = [
    'What Redis saw',
    columns([
      ['key', 'loader calls', 'value loaded by'],
      ...summaries.map((s) => [name(s), String(s.loaderCalls), s.loadedBy ?? '-']),
    ]),
    '',
    `How the ${callersPerKey} callers of each key got their value`,
    columns([
      ['', '', 'ran the', 'in-process', 'woken by', 'woken', 'woken by', 'read from'],
      ['key', 'served', 'loader', 'followers', 'push', 'by poll', 'timeout', 'Redis'],
      ...summaries.map((s) => [
        name(s),
        String(s.served),
        String(s.ranLoader),
        String(s.followers),
        String(s.woken.invalidation + s.woken.flush),
        String(s.woken.poll),
        String(s.woken.timeout),
        String(s.readFromRedis),
      ]),
    ]),
    waitCount === 0
      ? '  Waits that ended: none.'
      : `  Waits that ended: ${[...waits].map(([reason, n]) => `${reason} ${n}`).join(', ')}` +
        ` (${plural(waitCount, 'wait')} by ${plural(waitingFlights, 'waiting flight')}).`,
  ];
  if (waitCount > waitingFlights) {
    lines.push(
      "  A flight waits twice when the push that woke it was for the winner's lock (written just after its",
      '  read), not for the value: it reads the lock again and goes back to waiting.',
    );
  }
  const split = summaries.reduce((total, s) => total + s.splitProcesses, 0);
  if (split > 0) lines.push(`  Note: ${split} process/key pairs formed more than one flight.`);
  for (const s of summaries) {
    for (const error of s.errors.slice(0, 3)) lines.push(`  error (${name(s)}): ${error}`);
  }
  lines.push('', verdict(summaries));
  return lines.join('\n');
}

/** "3 keys, 600 callers, 3 loader calls: no stampede", or what went wrong. */
export function verdict(summaries: readonly KeySummary[]): string {
  const keys = summaries.length;
  const callers = summaries.reduce((total, s) => total + s.callers, 0);
  const loaderCalls = summaries.reduce((total, s) => total + s.loaderCalls, 0);
  const failed = summaries.reduce((total, s) => total + s.callers - s.served, 0);
  const head = `${plural(keys, 'key')}, ${plural(callers, 'caller')}, ${plural(loaderCalls, 'loader call')}`;
  if (failed > 0) return `${head}: ${plural(failed, 'caller')} did not get the value`;
  if (loaderCalls > keys) return `${head}: STAMPEDE (${plural(loaderCalls - keys, 'loader call')} too many)`;
  return `${head}: no stampede`;
}
