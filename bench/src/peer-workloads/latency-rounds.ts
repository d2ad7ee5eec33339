import { type LatencySummary, summarizeLatencies } from '../latency-summary.js';

/** One sample of a latency workload: the figure of one call, ms. */
export interface LatencyContender {
  readonly name: string;
  sample(): Promise<number>;
}

/**
 * `rounds` interleaved rounds (a, b, c, a, b, c, …) of `perRound` sequential samples each,
 * after `warmup` untimed samples per contender; every contender's samples summarized.
 */
export async function runLatencyRounds(
  contenders: readonly LatencyContender[],
  rounds: number,
  perRound: number,
  warmup = 20,
): Promise<Map<string, LatencySummary>> {
  const samples = contenders.map(() => [] as number[]);
  for (const contender of contenders) for (let i = 0; i < warmup; i++) await contender.sample();
  for (let round = 0; round < rounds; round++) {
    for (const [index, contender] of contenders.entries()) {
      for (let i = 0; i < perRound; i++) samples[index]!.push(await contender.sample());
    }
  }
  return new Map(contenders.map((c, i) => [c.name, summarizeLatencies(samples[i]!)]));
}
