import { type LatencySummary, summarizeLatencies } from '../latency-summary.js';
import { addHealth, type HealthSnapshot } from '../peers/redcache-health.js';
import { median } from '../stats.js';
import type { PeerStampedeResult } from './stampede-protocol.js';

/** Where a stampede round's wall time went, ms from the agreed instant (medians over the rounds). */
export interface StampedeStages {
  /** The last process to fire its callers. */
  readonly lastFiredMs: number;
  /** The last loader to start (a lock won, or a local miss), and the last to return. */
  readonly lastLoaderStartMs: number;
  readonly lastLoadedMs: number;
  /** The last caller's value (the wall time). */
  readonly wallMs: number;
  /** Over every loader call of every round: from its own process firing to its start, and its own time (p50). */
  readonly fireToLoaderP50Ms: number;
  readonly loaderP50Ms: number;
  /** Per process and round (medians): the callers' synchronous part, and the CPU used until the last value. */
  readonly burstMs: number;
  readonly cpuMs: number;
}

/** Followers of a key only one process loaded: from that loader returning to their value. */
export interface FollowerWakes {
  readonly ownProcess: LatencySummary;
  readonly otherProcesses: LatencySummary;
  /** The p50 of each round's followers in other processes (rounds are interleaved: paired with other contenders' same round). */
  readonly otherProcessesRoundP50Ms: number[];
  /** redcache, other processes: loader return to the wait's end (the push), and wait's end to the value (the re-read). */
  readonly toWaitEnd?: LatencySummary | undefined;
  readonly waitEndToValue?: LatencySummary | undefined;
  /** Raw protocol, other processes: loader return to the push's arrival, and the GET after it. */
  readonly toPush?: LatencySummary | undefined;
  readonly getAfterPush?: LatencySummary | undefined;
  /** Raw pub/sub: followers woken by the published value, and by the push first. */
  readonly byMessage?: number;
  readonly byPush?: number;
}

export interface PeerStampedeFigures {
  readonly loaderCalls: number[];
  readonly maxCallsPerKey: number;
  readonly wallMs: number[];
  readonly wallMedianMs: number;
  /** Every caller's latency from the agreed instant, all rounds. */
  readonly latency: LatencySummary;
  readonly stages: StampedeStages;
  readonly wake: FollowerWakes;
  /** redcache: waits ended, by reason, over the rounds and processes. */
  readonly waitsEnded: Record<string, number>;
  readonly errors: string[];
  /** redcache's health counts over the workers, at the end. */
  readonly health: HealthSnapshot;
}

const nonNull = (values: readonly (number | null)[]) => values.filter((v): v is number => v !== null);

/** A round's one loader per key, when only one process loaded it: its process and return time. */
function leaders(processes: readonly PeerStampedeResult[]): ({ process: number; at: number } | null)[] {
  return processes[0]!.loadedAt.map((_, k) => {
    const loading = processes.flatMap((p, i) => (p.loadedAt[k] === null ? [] : [i]));
    return loading.length === 1 ? { process: loading[0]!, at: processes[loading[0]!]!.loadedAt[k]! } : null;
  });
}

export function summarizeStampede(
  rounds: readonly PeerStampedeResult[][],
  startAts: readonly number[],
  callers: number,
): PeerStampedeFigures {
  const loaderCalls: number[] = [];
  const wallMs: number[] = [];
  const latencies: number[] = [];
  const stages = {
    fired: [] as number[],
    loadStart: [] as number[],
    loaded: [] as number[],
    toLoader: [] as number[],
    loader: [] as number[],
    burst: [] as number[],
    cpu: [] as number[],
  };
  const wake = {
    own: [] as number[],
    other: [] as number[],
    toWait: [] as number[],
    waitToValue: [] as number[],
  };
  const raw = { toPush: [] as number[], get: [] as number[], byMessage: 0, byPush: 0 };
  const waitsEnded: Record<string, number> = {};
  const roundP50s: number[] = [];
  const errors: string[] = [];
  let maxCallsPerKey = 0;
  for (const [r, processes] of rounds.entries()) {
    const startAt = startAts[r]!;
    const keys = processes[0]!.loaderCalls.length;
    const perKey = processes[0]!.loaderCalls.map((_, k) =>
      processes.reduce((n, p) => n + p.loaderCalls[k]!, 0),
    );
    maxCallsPerKey = Math.max(maxCallsPerKey, ...perKey);
    loaderCalls.push(perKey.reduce((a, b) => a + b, 0));
    const done = processes.flatMap((p) => p.doneAt.map((at) => at - startAt));
    wallMs.push(Math.max(...done));
    latencies.push(...done);
    stages.fired.push(Math.max(...processes.map((p) => p.firedAt)) - startAt);
    stages.loadStart.push(Math.max(...processes.flatMap((p) => nonNull(p.loaderStartedAt))) - startAt);
    stages.loaded.push(Math.max(...processes.flatMap((p) => nonNull(p.loadedAt))) - startAt);
    const lead = leaders(processes);
    const otherBefore = wake.other.length;
    for (const [i, p] of processes.entries()) {
      errors.push(...p.errors);
      stages.burst.push(p.burstMs);
      stages.cpu.push(p.cpuMs);
      for (const [k, started] of p.loaderStartedAt.entries()) {
        if (started === null) continue;
        stages.toLoader.push(started - p.firedAt);
        stages.loader.push(p.loadedAt[k]! - started);
      }
      const ranLoader = new Set(p.loaders);
      for (let c = 0; c < callers; c++) {
        const leader = lead[c % keys];
        if (leader === null || leader === undefined || ranLoader.has(c)) continue;
        (leader.process === i ? wake.own : wake.other).push(p.doneAt[c]! - leader.at);
      }
      for (const w of p.waits) waitsEnded[w.reason] = (waitsEnded[w.reason] ?? 0) + 1;
      const lastWait = new Map(p.waits.map((w) => [w.key, w.at]));
      for (const [k, at] of lastWait) {
        const leader = lead[k];
        if (leader === null || leader === undefined || leader.process === i) continue;
        const valueAt = Math.max(...p.doneAt.filter((_, c) => c % keys === k));
        wake.toWait.push(at - leader.at);
        wake.waitToValue.push(valueAt - at);
      }
      for (const w of p.wakes) {
        const leader = lead[w.key];
        if (leader === null || leader === undefined) continue;
        if (w.by === 'message') raw.byMessage++;
        else raw.byPush++;
        if (w.pushAt !== null && w.by === 'push') raw.toPush.push(w.pushAt - leader.at);
        if (w.getMs !== null) raw.get.push(w.getMs);
      }
    }
    roundP50s.push(median(wake.other.slice(otherBefore)));
  }
  const some = (values: readonly number[]) => (values.length === 0 ? undefined : summarizeLatencies(values));
  const anyRaw = raw.byMessage + raw.byPush > 0;
  return {
    loaderCalls,
    maxCallsPerKey,
    wallMs,
    wallMedianMs: median(wallMs),
    latency: summarizeLatencies(latencies),
    stages: {
      lastFiredMs: median(stages.fired),
      lastLoaderStartMs: median(stages.loadStart),
      lastLoadedMs: median(stages.loaded),
      wallMs: median(wallMs),
      fireToLoaderP50Ms: median(stages.toLoader),
      loaderP50Ms: median(stages.loader),
      burstMs: median(stages.burst),
      cpuMs: median(stages.cpu),
    },
    wake: {
      ownProcess: summarizeLatencies(wake.own),
      otherProcesses: summarizeLatencies(wake.other),
      otherProcessesRoundP50Ms: roundP50s,
      toWaitEnd: some(wake.toWait),
      waitEndToValue: some(wake.waitToValue),
      toPush: some(raw.toPush),
      getAfterPush: some(raw.get),
      ...(anyRaw ? { byMessage: raw.byMessage, byPush: raw.byPush } : {}),
    },
    waitsEnded,
    errors,
    health: rounds
      .at(-1)!
      .map((p) => p.health)
      .reduce(addHealth),
  };
}
