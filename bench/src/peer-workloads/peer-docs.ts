import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { PeerFigures } from './measure-peers.js';
import { loadLine, peerMarkdown } from './peer-report.js';
import { peerSvg } from './peer-svg.js';
import { peerTargets } from './peer-targets.js';

const docs = new URL('../../../docs/', import.meta.url);
const HEADING = '## Peers';

/** Where and on what the run measured. */
export interface RunMachine {
  readonly startedAt: string;
  readonly cpu: string;
  readonly node: string;
  readonly redisVersion: string;
}

/** The commit measured, and whether packages/ had changes not in it. */
function sourceOf(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();
    const dirty = git('status', '--porcelain', '--', '../packages') !== '';
    return `commit ${git('rev-parse', '--short', 'HEAD')}${dirty ? ' (with uncommitted changes in packages/)' : ''}`;
  } catch {
    return 'an unknown commit';
  }
}

function section(f: PeerFigures, machine: RunMachine): string {
  return [
    HEADING,
    '',
    'Written by `pnpm bench` from its last run (`bench/src/peer-workloads/`); every figure of a table',
    'was measured in the same run, its contenders interleaved. The peers, dev dependencies of the',
    'private bench package only: bentocache 1.6.1 (memory L1 + redis L2 + redis bus, on ioredis 5.11.1),',
    'cache-manager 7.2.9 (a Keyv over cacheable 2.5.0 `CacheableMemory` in front of a Keyv over',
    '@keyv/redis 5.1.6), node-redis 6.3.1 client-side caching, lru-cache 11.5.4 and an awaited `Map`',
    '(floors). How each is driven and what each figure means: [bench/README.md](../bench/README.md#peers).',
    '',
    '_redcache (ioredis)_ is redcache on the `@redcache/ioredis` driver (`connect(url)`, one server,',
    'ioredis 5.11.1), beside _redcache_ on node-redis. It costs one more round trip per call that reaches',
    'Redis: after each reply on the data connection, a fence `PING` through the subscriber connection, so',
    'a cold miss takes four round trips instead of two and a near-cache hit pays nothing',
    '([docs/ioredis.md](ioredis.md#what-it-costs)). The targets stay computed from _redcache_ on',
    'node-redis; the table _redcache (ioredis) ÷ redcache_ compares the two drivers, not a target.',
    '',
    `Run ${machine.startedAt} on ${sourceOf()}: ${machine.cpu}, Node ${machine.node}, Redis ${machine.redisVersion}; ${loadLine(f)}.`,
    '',
    'The machine is shared (other suites ran alongside): absolute figures move with its load, the',
    'ratios of one run much less. A _redcache ÷ it_ column above 1× means redcache is faster; for a',
    "latency it is redcache's p50 over the peer's. The targets table and the plot hold redcache to the",
    'targets of issue 12; a MISS fails nothing. Every contender is given prebuilt, constant keys; target 6',
    "is measured across processes in the stampede (the raw push's p99 plus a GET's p99, same run).",
    '',
    '![redcache against its targets](benchmarks-peers.svg)',
    '',
    peerMarkdown(f),
    '',
  ].join('\n');
}

/**
 * Replaces the "Peers" section of docs/benchmarks.md (from its heading to the next `## `
 * heading, or the end), or appends it; writes docs/benchmarks-peers.svg. Other sections stay.
 */
export async function writePeerDocs(f: PeerFigures, machine: RunMachine): Promise<string[]> {
  const markdownFile = new URL('benchmarks.md', docs);
  const svgFile = new URL('benchmarks-peers.svg', docs);
  const text = await readFile(markdownFile, 'utf8');
  const start = text.indexOf(`\n${HEADING}\n`);
  const fresh = section(f, machine);
  let next: string;
  if (start === -1) next = `${text.trimEnd()}\n\n${fresh}`;
  else {
    const after = text.indexOf('\n## ', start + HEADING.length + 1);
    next = `${text.slice(0, start + 1)}${fresh}${after === -1 ? '' : `\n${text.slice(after + 1)}`}`;
  }
  await writeFile(markdownFile, next);
  const caption = `${machine.startedAt} · Node ${machine.node} · Redis ${machine.redisVersion} · ${loadLine(f)}`;
  await writeFile(svgFile, peerSvg(peerTargets(f), caption));
  return [fileURLToPath(markdownFile), fileURLToPath(svgFile)];
}
