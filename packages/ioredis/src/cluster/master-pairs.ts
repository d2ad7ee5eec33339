import { ClosedError } from '@redcache/core';
import type { LivenessCheck, LivenessCheckOptions } from '@redcache/core/internal';
import { pairChecks } from '../pair/pair-checks.js';
import { type PairReports, TrackingPair } from '../pair/tracking-pair.js';
import type { ClusterSetup, NodeAddress } from './cluster-setup.js';

/** One master's tracking pair, with its liveness checks. */
interface Master {
  readonly node: NodeAddress;
  readonly pair: TrackingPair;
  readonly checks: readonly LivenessCheck[];
}

/**
 * A tracking pair per master of the cluster (see tracking-pair.ts), following the topology:
 * a new master gets a pair at once; the pair of a master that left is closed, after reporting
 * every key as changed (`null`): what it tracked for us is no longer reported. Each pair is
 * made from a standalone client for its master with your `redisOptions` (the pair duplicates
 * it; the template itself never connects).
 */
export class MasterPairs {
  readonly #setup: ClusterSetup;
  readonly #reports: PairReports;
  readonly #liveness: LivenessCheckOptions | false;
  readonly #waitMs: number;
  readonly #masters = new Map<string, Master>();
  readonly #retiring = new Set<Promise<void>>();
  #closed = false;

  constructor(
    setup: ClusterSetup,
    reports: PairReports,
    liveness: LivenessCheckOptions | false,
    waitMs: number,
  ) {
    this.#setup = setup;
    this.#reports = reports;
    this.#liveness = liveness;
    this.#waitMs = waitMs;
  }

  /** The pair of the master at `address`, if it is one. */
  get(address: string): TrackingPair | undefined {
    return this.#masters.get(address)?.pair;
  }

  /** Every master now: its address, node and pair. */
  all(): Array<{ readonly address: string; readonly node: NodeAddress; readonly pair: TrackingPair }> {
    return [...this.#masters].map(([address, { node, pair }]) => ({ address, node, pair }));
  }

  /** True when every master's pair is established (false while there is none). */
  get allEstablished(): boolean {
    if (this.#masters.size === 0) return false;
    for (const { pair } of this.#masters.values()) if (!pair.established) return false;
    return true;
  }

  /** Opens a pair for each master not followed yet, and closes the pairs of masters not in `masters`. */
  follow(masters: ReadonlyMap<string, NodeAddress>): void {
    if (this.#closed) return;
    for (const [address, node] of masters) if (!this.#masters.has(address)) this.open(address, node);
    for (const address of [...this.#masters.keys()]) if (!masters.has(address)) this.#retire(address);
  }

  /** Closes every pair (calls waiting for one reject). */
  async close(): Promise<void> {
    this.#closed = true;
    for (const address of [...this.#masters.keys()]) this.#retire(address, false);
    await Promise.all(this.#retiring);
  }

  /**
   * The pair of the master at `address`, opened now if there is none: for a master the
   * topology does not list yet (see `ClusterTopology.pairAt`). The next `follow` that does
   * not list it either retires it, as any master that left.
   *
   * @throws ClosedError once closed.
   */
  open(address: string, node: NodeAddress): TrackingPair {
    if (this.#closed) throw new ClosedError('send');
    const known = this.#masters.get(address);
    if (known !== undefined) return known.pair;
    const template = this.#setup.connectionTo(node, { lazyConnect: true });
    const pair = new TrackingPair(template, this.#reports, { address, waitMs: this.#waitMs });
    const checks = pairChecks(pair, this.#liveness);
    this.#masters.set(address, { node, pair, checks });
    pair.start();
    return pair;
  }

  #retire(address: string, report = true): void {
    const master = this.#masters.get(address)!;
    this.#masters.delete(address);
    for (const check of master.checks) check.stop();
    if (report) this.#reports.invalidate(null);
    const closing = master.pair.close().finally(() => this.#retiring.delete(closing));
    this.#retiring.add(closing);
  }
}
