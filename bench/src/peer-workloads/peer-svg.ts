import type { TargetRow } from './peer-targets.js';

const WIDTH = 760;
const LABEL = 330;
const PLOT = 330;
const ROW = 24;
const TOP = 44;
/** The score axis is logarithmic from 1/SPAN to SPAN; 1 (the target) in the middle. */
const SPAN = 10;

const escapeXml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
const x = (score: number) => {
  const clamped = Math.min(SPAN, Math.max(1 / SPAN, score));
  return LABEL + ((Math.log10(clamped) + 1) / 2) * PLOT;
};

/**
 * A bar per target: redcache's ratio over its limit, turned so that 1 or more passes, on a
 * log axis (0.1 to 10) with the target at 1. Green passes, red misses. A hand-written SVG.
 */
export function peerSvg(rows: readonly TargetRow[], caption: string): string {
  const height = TOP + rows.length * ROW + 40;
  const one = x(1);
  const bars = rows.map((row, i) => {
    const y = TOP + i * ROW;
    const end = x(row.score);
    const [from, to] = end >= one ? [one, end] : [end, one];
    const label = `${row.ratio.toFixed(2)} (${row.bound === 'max' ? '≤' : '≥'} ${row.limit}) ${row.pass ? 'PASS' : 'MISS'}`;
    return [
      `<text x="${LABEL - 8}" y="${y + 15}" text-anchor="end">${escapeXml(row.target)}</text>`,
      `<rect x="${from.toFixed(1)}" y="${y + 4}" width="${Math.max(1, to - from).toFixed(1)}" height="${ROW - 8}" fill="${row.pass ? '#3a9d5d' : '#d0453c'}"/>`,
      `<text x="${LABEL + PLOT + 8}" y="${y + 15}">${escapeXml(label)}</text>`,
    ].join('');
  });
  const ticks = [0.1, 0.5, 1, 2, 10].map(
    (t) =>
      `<line x1="${x(t)}" y1="${TOP - 4}" x2="${x(t)}" y2="${TOP + rows.length * ROW}" stroke="${t === 1 ? '#222' : '#ccc'}"/>` +
      `<text x="${x(t)}" y="${TOP + rows.length * ROW + 16}" text-anchor="middle">${t === 1 ? 'target' : `${t}×`}</text>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    '<title>redcache against the targets of issue 12, per workload</title>',
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    `<text x="10" y="18" font-size="14" font-weight="bold">redcache vs peers: ratio ÷ target (≥ 1 passes; log scale)</text>`,
    `<text x="10" y="34" fill="#555">${escapeXml(caption)}</text>`,
    ...ticks,
    ...bars,
    '</svg>',
    '',
  ].join('\n');
}
