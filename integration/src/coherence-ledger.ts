import { wallClockMs } from '@redcache/fleet';

/**
 * How a process learned a version: a `get` returned it (`read`); its own `set`/`forceSet` of it
 * was answered (`write`); its own `del` (which took a version too) was answered (`del`); a
 * `GET` on the Conn's own connection, past the near cache, returned it (`direct`).
 */
export type LearnedBy = 'read' | 'write' | 'del' | 'direct';

/** The highest version of a key a process has learned, and when and how it learned it. */
export interface Known {
  readonly version: number;
  readonly by: LearnedBy;
  /** Wall-clock ms (comparable across processes) when the call that taught it was answered. */
  readonly atMs: number;
}

/** A `get` that returned a version older than one its process had learned before the call began. */
export interface Violation {
  readonly key: string;
  /** The version the `get` returned. */
  readonly returned: number;
  /** What the process knew when the `get` began. */
  readonly known: Known;
  /** When the `get` was called and answered (wall-clock ms). */
  readonly startMs: number;
  readonly endMs: number;
  /** Whether the near cache answered it (the engine counted a hit during the call itself). */
  readonly nearHit: boolean;
  /** Whether it was one of the sampler's reads (every `sampleEveryMs`) rather than a random one. */
  readonly sampled: boolean;
}

/**
 * One process's knowledge of the keys' histories, and the coherence check of its reads.
 * Versions of one key land in Redis in increasing order (coherence-key-mutex.ts), and each
 * value is written once, so once a process has learned version `v` of a key, every version
 * below `v` has been replaced in Redis. See the test's comment for why a `get` begun after
 * that moment may not return one.
 */
export class CoherenceLedger {
  readonly #known = new Map<string, Known>();
  readonly #violations: Violation[] = [];
  #count = 0;

  /** Records that `version` of `key` was (or had been) in Redis when a call answered, now. */
  learn(key: string, version: number, by: LearnedBy): void {
    const known = this.#known.get(key);
    if (known === undefined || version > known.version) {
      this.#known.set(key, { version, by, atMs: wallClockMs() });
    }
  }

  /** What the process knows of `key` now: take it just before a `get` begins. */
  floor(key: string): Known | undefined {
    return this.#known.get(key);
  }

  /**
   * Checks a `get` of `key` that began knowing `floor` and returned `returned`; learns it too.
   * Returns the violation when it served an older version than `floor`.
   */
  check(
    key: string,
    floor: Known | undefined,
    returned: number,
    call: Pick<Violation, 'startMs' | 'nearHit' | 'sampled'>,
  ): Violation | undefined {
    let violation: Violation | undefined;
    if (floor !== undefined && returned < floor.version) {
      violation = { key, returned, known: floor, endMs: wallClockMs(), ...call };
      this.#count++;
      if (this.#violations.length < MAX_KEPT) this.#violations.push(violation);
    }
    this.learn(key, returned, 'read');
    return violation;
  }

  /** How many violations so far. */
  get violationCount(): number {
    return this.#count;
  }

  /** The first violations (at most `MAX_KEPT`). */
  get violations(): readonly Violation[] {
    return this.#violations;
  }
}

/** Violations kept for the report; the rest are only counted. */
const MAX_KEPT = 20;
