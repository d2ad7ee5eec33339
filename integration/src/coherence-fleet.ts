import { type ForkedChild, forkChild } from '@redcache/fleet';
import type {
  CoherenceChannel,
  CoherenceReply,
  CoherenceRequest,
  CoherenceWorkerConfig,
  RunReport,
} from './coherence-protocol.js';

/** What a worker's reads of every key returned. */
export type SettledValues = Extract<CoherenceReply, { type: 'values' }>;

const workerModule = new URL('./coherence-worker.ts', import.meta.url);

/** The parent's end of a coherence worker. */
export interface CoherenceWorker {
  readonly writerId: string;
  run(durationMs: number): Promise<RunReport>;
  /** A `get` of every key: per key, the text it returned (and the worker's violations so far). */
  fill(): Promise<SettledValues>;
  /** The same, each `get` after a `GET` past the near cache on the Conn's own connection. */
  settledRead(): Promise<SettledValues>;
  close(): Promise<void>;
}

async function ask<T extends CoherenceReply['type']>(
  child: ForkedChild<CoherenceChannel>,
  request: CoherenceRequest,
  type: T,
): Promise<Extract<CoherenceReply, { type: T }>> {
  const reply = await child.request(request);
  if (reply.type !== type) throw new Error(`coherence worker answered ${reply.type} to ${request.type}`);
  return reply as Extract<CoherenceReply, { type: T }>;
}

/** Forks a coherence worker (coherence-worker.ts, through tsx) with `config`. */
export async function spawnCoherenceWorker(config: CoherenceWorkerConfig): Promise<CoherenceWorker> {
  const child = await forkChild<CoherenceChannel>(workerModule, [JSON.stringify(config)], {
    name: `coherence worker ${config.writerId}`,
    // Closing waits for a Conn with a long command timeout to let go.
    closeTimeoutMs: 15_000,
  });
  return {
    writerId: config.writerId,
    run: (durationMs) => ask(child, { type: 'run', durationMs }, 'run'),
    fill: () => ask(child, { type: 'fill' }, 'values'),
    settledRead: () => ask(child, { type: 'settled-read' }, 'values'),
    close: () => child.close(),
  };
}
