import { cpus, totalmem } from 'node:os';
import type { BenchOptions } from '../bench-options.js';
import type { PeerBenchContext } from './context.js';
import { measurePeers, type PeerFigures } from './measure-peers.js';
import { writePeerDocs } from './peer-docs.js';
import { peerReport } from './peer-report.js';

/** The machine, named for the docs. */
export function machineName(): string {
  const all = cpus();
  return `${all.length} vCPU ${all[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GB`;
}

/**
 * Every peer workload (rounds half as long as the bench's own: there are many contenders),
 * the report printed, docs/benchmarks.md's Peers section and docs/benchmarks-peers.svg written.
 */
export async function runPeers(
  url: string,
  prefix: string,
  options: BenchOptions,
  run: { readonly startedAt: string; readonly redisVersion: string; readonly progress: (m: string) => void },
): Promise<PeerFigures> {
  const context: PeerBenchContext = {
    url,
    prefix: `${prefix}peers:`,
    rounds: options.rounds,
    measure: { ...options.measure, roundMs: options.measure.roundMs / 2 },
    progress: run.progress,
  };
  const figures = await measurePeers(context);
  console.log(`\n${peerReport(figures)}`);
  const machine = {
    startedAt: run.startedAt,
    cpu: machineName(),
    node: process.version,
    redisVersion: run.redisVersion,
  };
  const files = await writePeerDocs(figures, machine);
  console.log(`\nPeers section and plot written to ${files.join(', ')}`);
  return figures;
}
