import { ClosedError } from '@redcache/core';
import type { LivenessCheckOptions } from '@redcache/core/internal';
import type { Redis } from 'ioredis';
import type { PairReports, TrackingPair } from '../pair/tracking-pair.js';
import { Deferred } from '../promise/deferred.js';
import { addressOf, type ClusterSetup, type NodeAddress } from './cluster-setup.js';
import type { ClusterShape } from './cluster-shape.js';
import { MasterPairs } from './master-pairs.js';
import { readClusterShape } from './read-cluster-shape.js';

/** A node to read the topology from, and its ready connection if the driver has one. */
interface ReadSource {
  readonly node: NodeAddress;
  readonly connection: Redis | undefined;
}

/** Between two reads of the topology while a master's pair is down, or none answered yet. */
const BROKEN_REFRESH_MS = 1_000;

/**
 * Which master owns each slot, and a tracking pair per master (see master-pairs.ts). The
 * driver reads the topology itself (`CLUSTER SLOTS`), from the masters it knows first (their
 * data connections), then from your startup nodes, and applies the first view of a node that
 * says `cluster_state:ok` (else the first view read: the whole cluster may be down): at start, after a `MOVED` (`refresh`),
 * every `refreshIntervalMs`, and every second while a master's pair is down (a failover
 * promotes a replica: its pair is opened, the old master's closed). Reads never overlap: one
 * asked for while another runs runs once after it.
 */
export class ClusterTopology {
  readonly pairs: MasterPairs;
  readonly #setup: ClusterSetup;
  #owners: ReadonlyArray<string | undefined> = [];
  /** Settles at the first read of the topology; rejects once closed (nobody may be waiting then). */
  readonly #known = new Deferred({ handled: true });
  #isKnown = false;
  #running: Promise<void> | undefined;
  #queued: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #timerDue = Number.POSITIVE_INFINITY;
  #closed = false;
  /** The connections opened for one read (no master's data connection was ready), while open. */
  readonly #oneOffs = new Set<Redis>();
  /** The last failed read of the topology: what `connect` reports when it gives up. */
  lastError: unknown;

  constructor(
    setup: ClusterSetup,
    reports: PairReports,
    liveness: LivenessCheckOptions | false,
    waitMs: number,
  ) {
    this.#setup = setup;
    const watched: PairReports = {
      invalidate: reports.invalidate,
      health: (event) => {
        if (!event.healthy) this.#schedule(BROKEN_REFRESH_MS);
        reports.health(event);
      },
    };
    this.pairs = new MasterPairs(setup, watched, liveness, waitMs);
  }

  /** Reads the topology now (and on, as the class says). */
  start(): void {
    void this.refresh();
  }

  /** Settles once the topology was read once; rejects once closed. */
  whenKnown(): Promise<void> {
    // Once closed, even when the topology was known: the pairs are gone, nothing is to wait for.
    return this.#closed ? Promise.reject(new ClosedError('send')) : this.#known.promise;
  }

  /** The address of the master that owns `slot`, as last read; undefined before the first read. */
  ownerOf(slot: number): string | undefined {
    return this.#owners[slot];
  }

  /** The address to connect to for a node as the cluster names it (your `natMap`). */
  mapped(node: NodeAddress): NodeAddress {
    return this.#setup.mapped(node);
  }

  /**
   * The pair of the master that owns `slot`, once the topology is known; a slot no master
   * serves has the topology read again first.
   *
   * @throws (rejects) ClosedError once closed; an Error when still no master serves the slot.
   */
  async pairOf(slot: number): Promise<TrackingPair> {
    await this.whenKnown();
    for (let read = 0; ; read++) {
      const owner = this.#owners[slot];
      const pair = owner === undefined ? undefined : this.pairs.get(owner);
      if (pair !== undefined) return pair;
      if (this.#closed) throw new ClosedError('send');
      if (read > 0)
        throw new Error(`ioredis: no master of the cluster serves slot ${slot} (${this.#whom()})`);
      await this.refresh();
    }
  }

  /**
   * The pair of the master at `node` (an `ASK` names it), the topology read again first when
   * no master is there. A master the topology still does not list (it serves no slot yet: one
   * is being migrated to it, after a scale-out) gets a pair of its own, gated and fenced like
   * any; the next read that finds it serving nothing still retires it, as a master that left
   * (a `null`, then the pair closed).
   *
   * @throws (rejects) ClosedError once closed.
   */
  async pairAt(node: NodeAddress): Promise<TrackingPair> {
    const address = addressOf(node);
    if (this.pairs.get(address) === undefined) await this.refresh();
    if (this.#closed) throw new ClosedError('send');
    return this.pairs.open(address, node);
  }

  /**
   * Reads the topology again (a read already asked for and not begun yet is shared), asking
   * the master at `first` before the others. Never rejects: a failed read keeps what was known.
   */
  refresh(first?: string): Promise<void> {
    if (this.#closed) return Promise.resolve();
    if (this.#queued !== undefined) return this.#queued;
    if (this.#running === undefined) return this.#run(first);
    const queued = this.#running.then(() => {
      this.#queued = undefined;
      return this.#run(first);
    });
    this.#queued = queued;
    return queued;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#known.reject(new ClosedError('send'));
    // A read under way on a connection of its own ends now, not at its timeout.
    for (const connection of this.#oneOffs) connection.disconnect();
    await Promise.all([this.pairs.close(), this.#running]);
  }

  #run(first: string | undefined): Promise<void> {
    const running = this.#read(first).finally(() => {
      this.#running = undefined;
      this.#schedule(
        this.#isKnown && this.pairs.allEstablished ? this.#setup.refreshIntervalMs : BROKEN_REFRESH_MS,
      );
    });
    this.#running = running;
    return running;
  }

  async #read(first: string | undefined): Promise<void> {
    let sources: ReadSource[];
    try {
      sources = this.#sources(first);
    } catch (error) {
      // Your natMap threw: kept for connect's message, as a failed read.
      this.lastError = error;
      return;
    }
    // The first view of a node that says cluster_state:ok; else the first view read at all.
    let fallback: ClusterShape | undefined;
    for (const { node, connection } of sources) {
      if (this.#closed) return;
      try {
        const view = await readClusterShape(this.#setup, node, connection, this.#oneOffs);
        if (view.clusterOk) {
          this.#apply(view.shape);
          return;
        }
        fallback ??= view.shape;
      } catch (error) {
        this.lastError = error;
      }
    }
    if (fallback !== undefined) this.#apply(fallback);
  }

  #apply(shape: ClusterShape): void {
    if (this.#closed) return;
    this.#owners = shape.owners;
    this.pairs.follow(shape.masters);
    this.#isKnown = true;
    this.#known.resolve();
  }

  /** The masters known and your startup nodes, for an error message. */
  #whom(): string {
    const masters = this.pairs.all().map(({ address }) => address);
    const startup = this.#setup.startupNodes.map(addressOf);
    return `masters: ${masters.join(', ') || 'none'}; startup nodes: ${startup.join(', ')}`;
  }

  /** Where to read the topology: the master at `first`, the other masters, then your startup nodes. */
  #sources(first: string | undefined): ReadSource[] {
    const masters = this.pairs.all();
    masters.sort((a, b) => Number(b.address === first) - Number(a.address === first));
    const known = new Set(masters.map((master) => master.address));
    return [
      ...masters.map(({ node, pair }) => ({ node, connection: pair.data })),
      ...this.#setup.startupNodes
        .filter((node) => !known.has(addressOf(this.#setup.mapped(node))))
        .map((node) => ({ node, connection: undefined })),
    ];
  }

  /** The next read in at most `delayMs` (an earlier one already planned stays). */
  #schedule(delayMs: number): void {
    if (this.#closed) return;
    const due = Date.now() + delayMs;
    if (this.#timer !== undefined && this.#timerDue <= due) return;
    clearTimeout(this.#timer);
    this.#timerDue = due;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#timerDue = Number.POSITIVE_INFINITY;
      void this.refresh();
    }, delayMs).unref();
  }
}
