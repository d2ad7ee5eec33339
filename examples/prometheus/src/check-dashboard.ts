import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Family } from './scrape.js';

const DASHBOARD = new URL('../grafana/redcache-dashboard.json', import.meta.url);
const QUERY_FIELDS = new Set(['expr', 'definition', 'query']);
const HISTOGRAM_SUFFIXES = ['_bucket', '_sum', '_count'];
/** Labels PromQL or the exporter adds of its own. */
const BUILT_IN_LABELS = new Set(['le', 'job', 'instance', 'otel_scope_name', 'otel_scope_version']);

/**
 * Checks every PromQL query of the Grafana dashboard (panels' and template variables') against a scrape: each
 * `redcache_…` name is a sample the scrape shows (a family, or a histogram's `_bucket`, `_sum`,
 * `_count`), and each label it groups or matches by is one a scraped sample carries.
 *
 * @param families - the scrape, by family.
 * @returns how many queries were checked.
 */
export function checkDashboard(families: Map<string, Family>): number {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as unknown;
  const queries = exprsOf(dashboard);
  assert.ok(queries.length > 0, 'the dashboard has no query');
  const labels = new Set<string>();
  for (const [name, family] of families) {
    if (!name.startsWith('redcache_')) continue;
    for (const sample of family.samples) {
      for (const match of sample.matchAll(/[{,]([a-zA-Z_][a-zA-Z0-9_]*)="/g)) labels.add(match[1]!);
    }
  }
  for (const query of queries) {
    for (const [name] of metricsPart(query).matchAll(/\bredcache_[a-z_]+\b/g)) {
      assert.ok(
        isScraped(name, families),
        `the dashboard's query ${query} names ${name}, which the scrape does not show`,
      );
    }
    const used = [
      ...[...query.matchAll(/\b(?:by|without)\s*\(([^)]*)\)/g)].flatMap((match) => match[1]!.split(',')),
      ...[...query.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)\s*"/g)].map((match) => match[1]!),
      ...[...query.matchAll(/label_values\([^,]+,\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)/g)].map(
        (match) => match[1]!,
      ),
    ].map((label) => label.trim());
    for (const label of used) {
      if (label === '' || BUILT_IN_LABELS.has(label)) continue;
      assert.ok(
        labels.has(label),
        `the dashboard's query ${query} uses the label ${label}, which no scraped sample has`,
      );
    }
  }
  return queries.length;
}

/** The query without its label positions (`by (…)`, `{…}` matchers, `label_values`' label), where names are metrics. */
function metricsPart(query: string): string {
  return query
    .replace(/\b(?:by|without)\s*\([^)]*\)/g, '')
    .replace(/\{[^}]*\}/g, '')
    .replace(/label_values\(([^,]+),[^)]*\)/g, '$1');
}

function isScraped(name: string, families: Map<string, Family>): boolean {
  if (families.has(name)) return true;
  const suffix = HISTOGRAM_SUFFIXES.find((candidate) => name.endsWith(candidate));
  return suffix !== undefined && families.get(name.slice(0, -suffix.length))?.type === 'histogram';
}

/** Every query in the dashboard: panels' `expr`, and template variables' `definition` and `query`. */
function exprsOf(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(exprsOf);
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([field, value]) =>
    QUERY_FIELDS.has(field) && typeof value === 'string' ? [value] : exprsOf(value),
  );
}
