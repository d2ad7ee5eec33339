/** Messages between the demo (parent) and its worker processes. */
import type { Channel } from '@redcache/fleet';

export interface StampedeRequest {
  readonly keys: readonly string[];
  /** Concurrent callers per key in this process. */
  readonly callers: number;
  readonly loaderMs: number;
  readonly ttlMs: number;
  /** Wall-clock ms at which every process fires its callers, so they all stampede together. */
  readonly startAt: number;
}

/** How one process' callers of one key got their value. */
export interface KeyOutcome {
  readonly key: string;
  readonly callers: number;
  /** Callers that got the right value. */
  readonly served: number;
  readonly errors: string[];
  /** Callers whose own loader ran (0 or 1). */
  readonly ranLoader: number;
  /**
   * Flights: distinct value objects handed to the callers. Callers of one flight share the
   * very same decoded (frozen) object; each flight decodes its own.
   */
  readonly flights: number;
  /** Every wait on the key in this process, by how it ended. */
  readonly waits: Record<string, number>;
  /** How the last wait ended (the one after which the value was read), or null. */
  readonly lastWake: string | null;
  /** Who produced the value callers got (`pid 1234`, `Conn 2`). */
  readonly loadedBy: string | null;
}

/** The demo asks a worker to stampede; the worker answers with an outcome per key. */
export type DemoChannel = Channel<StampedeRequest, KeyOutcome[]>;
