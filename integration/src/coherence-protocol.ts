import type { Channel } from '@redcache/fleet';
import type { StressDriverName } from './coherence-conn.js';
import type { CoherenceControl } from './coherence-controls.js';
import type { Violation } from './coherence-ledger.js';

/** How a coherence worker is set up (its one argument, as JSON). */
export interface CoherenceWorkerConfig {
  readonly url: string;
  readonly driver: StressDriverName;
  /** Names the worker's values (`<version>:<writerId>:<counter>`) and its mutex tokens. */
  readonly writerId: string;
  /** The run's keys and side keys (version counter, mutexes) all start with it. */
  readonly prefix: string;
  readonly keyCount: number;
  /** Concurrent loops of random operations in the worker. */
  readonly loops: number;
  /** Out of 100 operations of a loop, how many are writes (the rest are `get`s). */
  readonly writePercent: number;
  /** How often the sampler reads every key (a direct `GET`, then a `get`). */
  readonly sampleEveryMs: number;
  /** A control: the Conn's driver breaks coherence (coherence-controls.ts), so the check must catch it. */
  readonly control?: CoherenceControl;
}

/** The run's keys: `<prefix>k0` … */
export function stressKeys(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix}k${index}`);
}

export type CoherenceRequest =
  /** Random reads and writes (and the sampler) for `durationMs`; answered once every loop has stopped. */
  | { readonly type: 'run'; readonly durationMs: number }
  /** A `get` of every key (loading the ones a `del` left empty); answered with their versions. */
  | { readonly type: 'fill' }
  /**
   * After quiescence: a `GET` of every key on the Conn's own connection (so every invalidation
   * sent before it has been delivered), then a `get` of every key; answered with what each returned.
   */
  | { readonly type: 'settled-read' };

/** What a run did, for the report and the checks. */
export interface RunReport {
  readonly type: 'run';
  readonly writerId: string;
  readonly pid: number;
  /** Every checked `get` (random and sampled). */
  readonly reads: number;
  /** Of those, the ones the near cache answered. */
  readonly nearHits: number;
  readonly sampledReads: number;
  readonly directGets: number;
  /** Writes answered, by method. */
  readonly writes: { readonly set: number; readonly forceSet: number; readonly del: number };
  /** `set`s refused with `LockLostError` (a `forceSet` or `del` took the key meanwhile: nothing written). */
  readonly lockLost: number;
  /** Loader calls (loads of a key a `del` left empty). */
  readonly loads: number;
  readonly violationCount: number;
  readonly violations: readonly Violation[];
  /** Any other failure of a call, by message (the first few). */
  readonly errors: readonly string[];
  readonly errorCount: number;
}

export type CoherenceReply =
  | RunReport
  | {
      readonly type: 'values';
      /** Per key, the text `get` returned. */
      readonly values: Record<string, string>;
      /** Violations of the worker so far, the run's and these reads' together. */
      readonly violationCount: number;
    };

export type CoherenceChannel = Channel<CoherenceRequest, CoherenceReply>;
