import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { instruments, observedInstruments } from '@redcache/otel';

/** One row of docs/metrics-and-otel.md's metric table. */
export interface DocumentedMetric {
  /** The OpenTelemetry instrument's name. */
  readonly otel: string;
  /** Its name in a Prometheus scrape. */
  readonly prometheus: string;
  /** `counter`, `histogram` or `gauge`: the scrape's TYPE. */
  readonly type: string;
}

const DOCS = new URL('../../../docs/metrics-and-otel.md', import.meta.url);

/**
 * The metric table of docs/metrics-and-otel.md (rows that start with an OTel name), checked
 * against `@redcache/otel`'s own tables: every instrument documented, its Prometheus name the
 * exporter's (dots to underscores, `_total` after a counter; no unit suffix), its type its kind.
 *
 * @returns the documented metrics, in the table's order.
 */
export function documentedMetrics(): DocumentedMetric[] {
  // A row: | `otel.name` | `prometheus_name` | type | …
  const row = /^\| `(redcache\.[^`]+)` +\| `([^`]+)` +\| (\w+) /;
  const documented = readFileSync(DOCS, 'utf8')
    .split('\n')
    .flatMap((line) => {
      const [, otel, prometheus, type] = row.exec(line) ?? [];
      return otel === undefined ? [] : [{ otel, prometheus: prometheus!, type: type! }];
    });
  const defined = [...Object.values(instruments), ...Object.values(observedInstruments)].map((spec) => ({
    otel: spec.name,
    prometheus: `${spec.name.replaceAll('.', '_')}${spec.kind === 'counter' ? '_total' : ''}`,
    type: spec.kind,
  }));
  const byName = (a: DocumentedMetric, b: DocumentedMetric) => a.otel.localeCompare(b.otel);
  assert.deepEqual([...documented].sort(byName), [...defined].sort(byName), 'docs/metrics-and-otel.md table');
  return documented;
}
