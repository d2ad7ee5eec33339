import type { CountingMetrics } from './counting-metrics.js';

const ms = (value: number) => `${value.toFixed(1)} ms`;

/** The counters, one column per connection. */
export function printCounters(byConn: Record<string, CountingMetrics>): void {
  const conns = Object.values(byConn);
  const line = (label: string, cells: readonly string[]) =>
    console.log(`   ${label.padEnd(16)}${cells.map((cell) => cell.padStart(10)).join('')}`);
  const row = (label: string, cell: (m: CountingMetrics) => string) => line(label, conns.map(cell));

  line(
    '',
    Object.keys(byConn).map((name) => `conn ${name}`),
  );
  row('hits', (m) => `${m.hits}`);
  row('misses', (m) => `${m.misses}`);
  row('keys contended', (m) => `${m.contendedKeys}`);
  row('lock waits', (m) => `${m.lockWaits}`);
  row('time waiting', (m) => ms(m.lockWaitMs));
  row('loader calls', (m) => `${m.loaderCalls}`);
  row('loader time', (m) => ms(m.loaderMs));
  row('loader errors', (m) => `${m.failedLoads}`);
}
