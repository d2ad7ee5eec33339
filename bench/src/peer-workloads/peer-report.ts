import { table } from '../format.js';
import type { PeerFigures } from './measure-peers.js';
import { type PeerTable, peerTables } from './peer-tables.js';

const load = (values: readonly number[]) => values.map((v) => v.toFixed(2)).join(' ');

/** The load averages the figures were measured under. */
export function loadLine(f: PeerFigures): string {
  return `load average (1, 5, 15 min): ${load(f.loadBefore)} before, ${load(f.loadAfter)} after`;
}

/** The peers section of the console report. */
export function peerReport(f: PeerFigures): string {
  const section = (t: PeerTable) => `${t.title}\n${table(t.rows)}`;
  return [`Peers · ${loadLine(f)}`, ...peerTables(f).map(section)].join('\n\n');
}

/** The same tables as markdown, columns padded as the repository's formatter lays them out. */
export function peerMarkdown(f: PeerFigures): string {
  const escapeCell = (cell: string) => cell.replaceAll('|', '\\|');
  const markdown = (t: PeerTable) => {
    const rows = t.rows.map((row) => row.map(escapeCell));
    const widths = rows[0]!.map((_, i) => Math.max(3, ...rows.map((row) => row[i]?.length ?? 0)));
    const line = (cells: readonly string[]) =>
      `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
    const [head, ...body] = rows;
    return [
      `**${t.title}**`,
      '',
      line(head!),
      line(widths.map((w) => '-'.repeat(w))),
      ...body.map(line),
    ].join('\n');
  };
  return peerTables(f).map(markdown).join('\n\n');
}
