import type { MeasureOptions } from '../measure.js';

/** What every peer workload is given. */
export interface PeerBenchContext {
  readonly url: string;
  /** The run's prefix; every peer writes under `<prefix><peer>:`, cleaned up by SCAN at the end. */
  readonly prefix: string;
  readonly rounds: number;
  readonly measure: MeasureOptions;
  readonly progress: (message: string) => void;
}

/** A loader that must not run: the key is primed. */
export const neverLoads = async (): Promise<never> => {
  throw new Error('bench: a primed key reached the loader');
};
