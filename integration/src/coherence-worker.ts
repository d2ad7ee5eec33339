/**
 * A child process of the coherence stress test (coherence-stress.test.ts): one Conn through the
 * driver its config names, random reads and writes over the run's keys, every `get` checked
 * against what the process had learned before it began (coherence-ledger.ts). Violations are
 * printed at once, and reported.
 */
import { newStringCache, StringCodec } from '@redcache/core';
import { serveParent, sleep } from '@redcache/fleet';
import { createClient } from 'redis';
import { openDriverConn } from './coherence-conn.js';
import { controlDriver } from './coherence-controls.js';
import { KeyMutex } from './coherence-key-mutex.js';
import { CoherenceLedger } from './coherence-ledger.js';
import { NearHitProbe, StressOperations } from './coherence-operations.js';
import {
  type CoherenceChannel,
  type CoherenceReply,
  type CoherenceRequest,
  type CoherenceWorkerConfig,
  type RunReport,
  stressKeys,
} from './coherence-protocol.js';
import { DEFAULT_LOCK_PREFIX } from './coherence-value.js';

const MAX_ERRORS_KEPT = 10;

const config = JSON.parse(process.argv[2]!) as CoherenceWorkerConfig;
const raw = createClient({ url: config.url });
raw.on('error', () => {});
await raw.connect();
const probe = new NearHitProbe();
// A generous command timeout: on a loaded CI machine a slow reply must not turn into an error
// (a write whose reply timed out may still land, after the mutex was released).
const opened = await openDriverConn(
  config.driver,
  config.url,
  { metrics: probe, commandTimeoutMs: 10_000 },
  config.control === undefined ? undefined : controlDriver(config.control),
);
const ledger = new CoherenceLedger();
const operations = new StressOperations({
  cache: newStringCache(opened.conn, StringCodec),
  driver: opened.driver,
  mutex: new KeyMutex(raw, config.prefix, config.writerId),
  ledger,
  probe,
  writerId: config.writerId,
  lockPrefix: DEFAULT_LOCK_PREFIX,
});
const keys = stressKeys(config.prefix, config.keyCount);
const errors: string[] = [];
let errorCount = 0;
let running = false;

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

function noteError(error: unknown): void {
  errorCount++;
  if (errors.length < MAX_ERRORS_KEPT) errors.push(String(error));
}

async function checkedRead(key: string, sampled: boolean): Promise<string> {
  const { text, violation } = await operations.read(key, sampled);
  if (violation !== undefined && config.control === undefined) {
    console.error(
      `COHERENCE VIOLATION (${config.driver}, ${config.writerId}, pid ${process.pid})`,
      violation,
    );
  }
  return text;
}

async function randomOperation(): Promise<void> {
  const key = pick(keys);
  const roll = Math.random() * 100;
  if (roll >= config.writePercent) {
    await checkedRead(key, false);
    return;
  }
  const write = pick(['set', 'forceSet', 'forceSet', 'del'] as const);
  await operations[write](key);
}

async function loop(): Promise<void> {
  while (running) {
    await randomOperation().catch(noteError);
    // A pause of 0 to 2 ms: the loops leave the event loop (and the CPU) to the rest.
    await sleep(Math.random() * 2);
  }
}

/** Every `sampleEveryMs`: for each key, what Redis holds (learned), then a checked `get`. */
async function sampler(): Promise<void> {
  while (running) {
    await sleep(config.sampleEveryMs);
    for (const key of keys) {
      if (!running) return;
      try {
        await operations.direct(key);
        await checkedRead(key, true);
      } catch (error) {
        noteError(error);
      }
    }
  }
}

async function run(durationMs: number): Promise<RunReport> {
  running = true;
  const loops = [...Array.from({ length: config.loops }, loop), sampler()];
  await sleep(durationMs);
  running = false;
  await Promise.all(loops);
  return {
    type: 'run',
    writerId: config.writerId,
    pid: process.pid,
    ...operations.counts,
    violationCount: ledger.violationCount,
    violations: ledger.violations,
    errors,
    errorCount,
  };
}

async function readAll(first: (key: string) => Promise<unknown>): Promise<CoherenceReply> {
  const values: Record<string, string> = {};
  for (const key of keys) {
    await first(key);
    values[key] = await checkedRead(key, false);
  }
  return { type: 'values', values, violationCount: ledger.violationCount };
}

async function handle(request: CoherenceRequest): Promise<CoherenceReply> {
  switch (request.type) {
    case 'run':
      return run(request.durationMs);
    case 'fill':
      return readAll(async () => {});
    case 'settled-read':
      return readAll((key) => operations.direct(key));
  }
}

serveParent<CoherenceChannel>({
  handle,
  async close() {
    await opened.close();
    await raw.close();
  },
});
