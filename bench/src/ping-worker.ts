/**
 * The PING worker: one plain client, PINGs one after the other between `start` and `stop`,
 * each one's wait reported. Forked through tsx by `get-multi-stall.ts`.
 */
import { serveParent } from '@redcache/fleet';
import { createClient } from 'redis';
import type { PingChannel, PingRequest, PingResult } from './ping-protocol.js';

const client = createClient({ url: process.argv[2]! });
await client.connect();

let stopping: (() => void) | undefined;
let pinging: Promise<PingResult> | undefined;

async function pingUntilStopped(firstAnswered: () => void): Promise<PingResult> {
  const waits: number[] = [];
  let errors = 0;
  let stopped = false;
  stopping = () => {
    stopped = true;
  };
  while (!stopped) {
    const sent = performance.now();
    try {
      await client.ping();
    } catch {
      errors++;
    }
    waits.push(performance.now() - sent);
    if (waits.length === 1) firstAnswered();
  }
  return { waits, errors };
}

async function handle(request: PingRequest): Promise<PingResult> {
  if (request.kind === 'start') {
    await new Promise<void>((resolve) => {
      pinging = pingUntilStopped(resolve);
    });
    return { waits: [], errors: 0 };
  }
  stopping?.();
  const result = (await pinging) ?? { waits: [], errors: 0 };
  pinging = undefined;
  return result;
}

serveParent<PingChannel>({ handle, close: () => client.close() });
