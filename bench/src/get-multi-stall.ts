import { newStringCache, StringCodec } from '@redcache/core';
import { type ForkedChild, forkChild } from '@redcache/fleet';
import { connect } from '@redcache/node-redis';
import { milliseconds, table } from './format.js';
import { type LatencySummary, summarizeLatencies } from './latency-summary.js';
import type { PingChannel, PingResult } from './ping-protocol.js';

/** Keys of the one cold getMulti. */
export const STALL_KEYS = 10_000;
const pingWorker = new URL('./ping-worker.ts', import.meta.url);
/** How long PINGs run before the call, for the yardstick. */
const IDLE_MS = 1_000;
/** Cold keys expire on their own soon after the run, should cleanup be cut short. */
const STALL_TTL_MS = 60_000;

export interface StallFigures {
  readonly keys: number;
  /** The cold getMulti itself (tracked read-or-lock scripts, one loader call, CAS), ms. */
  readonly callMs: number;
  /** Another client's PINGs, one after the other, for as long as the call ran: each one's wait. */
  readonly ping: LatencySummary;
  /** The same PINGs for `IDLE_MS` before the call: the yardstick (a loaded machine slows both). */
  readonly idlePing: LatencySummary;
  /** PINGs answered with an error (BUSY: a script ran past lua-time-limit). */
  readonly pingErrors: number;
}

export interface StallContext {
  readonly url: string;
  readonly prefix: string;
  /** Every key the run writes is pushed here, for cleanup. */
  readonly written: string[];
}

/**
 * One cold `getMulti` of `STALL_KEYS` keys on a redcache connection (client tracking on),
 * while another client, in another process, PINGs in a loop: Redis runs a script to
 * completion while every other client waits, so the longest PING is how long the call
 * stalled the server for everyone. The same PINGs for `IDLE_MS` before are the yardstick.
 */
export async function measureGetMultiStall(context: StallContext): Promise<StallFigures> {
  const conn = await connect({ url: context.url });
  const pinger = await forkChild<PingChannel>(pingWorker, [context.url], { name: 'ping worker' });
  try {
    const cache = newStringCache(conn, StringCodec);
    const keys = Array.from({ length: STALL_KEYS }, (_, i) => `${context.prefix}stall:${i}`);
    context.written.push(...keys);
    const idle = await pingWhile(pinger, () => new Promise((resolve) => setTimeout(resolve, IDLE_MS)));
    let callMs = 0;
    const during = await pingWhile(pinger, async () => {
      const started = performance.now();
      await cache.getMulti(keys, STALL_TTL_MS, async (wanted) => new Map(wanted.map((key) => [key, 'cold'])));
      callMs = performance.now() - started;
    });
    return {
      keys: STALL_KEYS,
      callMs,
      ping: summarizeLatencies(during.waits),
      idlePing: summarizeLatencies(idle.waits),
      pingErrors: during.errors,
    };
  } finally {
    await pinger.close();
    await conn.close();
  }
}

/** The worker's PINGs from before `work` starts until it settles. */
async function pingWhile(
  pinger: ForkedChild<PingChannel>,
  work: () => Promise<unknown>,
): Promise<PingResult> {
  await pinger.request({ kind: 'start' });
  const failure = await work().then(
    () => undefined,
    (error: unknown) => ({ error }),
  );
  // Stopped even when `work` failed, so the worker is free for close().
  const result = await pinger.request({ kind: 'stop' });
  if (failure !== undefined) throw failure.error;
  return result;
}

/** The figures as report lines. */
export function stallReport(figures: StallFigures): string {
  const { ping, idlePing } = figures;
  const row = (name: string, summary: LatencySummary) => [
    name,
    String(summary.count),
    milliseconds(summary.p50Ms),
    milliseconds(summary.p99Ms),
    milliseconds(summary.maxMs),
  ];
  return [
    `Server stall: one cold getMulti of ${figures.keys.toLocaleString('en-US')} keys (tracking on), ` +
      "another client's PINGs (another process) meanwhile",
    table([
      ['', 'count', 'p50', 'p99', 'max'],
      row('PING wait during the call', ping),
      row(`PING wait, ${IDLE_MS} ms before it`, idlePing),
      ['the getMulti call', '1', '', '', milliseconds(figures.callMs)],
    ]),
    `  PINGs refused (BUSY): ${figures.pingErrors}`,
  ].join('\n');
}
