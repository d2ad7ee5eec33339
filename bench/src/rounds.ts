import { type MeasureOptions, type Operation, opsPerSecond, warmUp } from './measure.js';
import { median } from './stats.js';

export interface Contender {
  readonly name: string;
  readonly operation: Operation;
  /** Overrides the batch of `MeasureOptions` (calls per clock read). */
  readonly batch?: number;
}

export interface RoundsResult {
  readonly name: string;
  /** Calls per second in each round. */
  readonly rounds: number[];
  /** The median of the rounds. */
  readonly median: number;
}

/**
 * Warms every contender up, then times them in interleaved rounds (a, b, c, a, b, c, …) so
 * a slow phase of the machine hits all of them alike. Reports the median per contender.
 */
export async function runRounds(
  contenders: readonly Contender[],
  rounds: number,
  options: MeasureOptions,
): Promise<RoundsResult[]> {
  const perContender = contenders.map(() => [] as number[]);
  for (const contender of contenders) {
    await warmUp(contender.operation, { ...options, batch: contender.batch ?? options.batch });
  }
  for (let round = 0; round < rounds; round++) {
    for (const [index, contender] of contenders.entries()) {
      const rate = await opsPerSecond(contender.operation, options.roundMs, contender.batch ?? options.batch);
      perContender[index]!.push(rate);
    }
  }
  return contenders.map((contender, index) => ({
    name: contender.name,
    rounds: perContender[index]!,
    median: median(perContender[index]!),
  }));
}
