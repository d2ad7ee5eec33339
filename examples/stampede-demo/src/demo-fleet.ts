import type { KeyOutcome, StampedeRequest } from './protocol.js';

/** The participants of a run, each with its own Conn, and the Redis they share. */
export interface DemoFleet {
  /** Where the Redis is, for the output: `Redis 7.2.4 at redis://… (REDIS_URL)`. */
  readonly where: string;
  /** The participants, for the output: `Worker pids: 101 102`, `Conns 1-4 in pid 100`. */
  readonly members: string;
  /** Every participant stampedes; one list of outcomes per participant. */
  stampede(request: StampedeRequest): Promise<KeyOutcome[][]>;
  /** The loader-call counters of `keys`, summed over the participants. */
  loaderCalls(keys: readonly string[]): Promise<number[]>;
  /** Closes every participant, deletes `keys` and their counters, stops a Redis started for the run. */
  close(keys: readonly string[]): Promise<void>;
  /** Stops at once (Ctrl-C): kills what can be killed; `close` still follows. */
  kill(): void;
}
