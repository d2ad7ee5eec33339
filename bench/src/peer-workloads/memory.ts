import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { REDCACHE_NAME } from '../peers/redcache.js';
import type { PeerBenchContext } from './context.js';

export const MEMORY_ENTRIES = 5_000;
/** Contenders, each measured in a fresh process: the Redis peers' near tiers, and the floors. */
export const MEMORY_CONTENDERS = {
  redcache: REDCACHE_NAME['node-redis'],
  'redcache-ioredis': REDCACHE_NAME.ioredis,
  bentocache: 'bentocache',
  'cache-manager': 'cache-manager',
  'node-redis-csc': 'node-redis CSC (keeps the JSON string)',
  'lru-cache': 'lru-cache',
  map: 'Map',
} as const;
const child = fileURLToPath(new URL('./memory-child.ts', import.meta.url));

/** Per contender (by its label): retained heap per entry, bytes (1 KB JSON values, after GC). */
export type MemoryFigures = Record<string, number>;

function measureOne(contender: string, context: PeerBenchContext): Promise<number> {
  return new Promise((resolve, reject) => {
    const worker = fork(child, [contender, context.url, context.prefix, String(MEMORY_ENTRIES)], {
      execArgv: ['--expose-gc', '--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: number | undefined;
    worker.on('message', (message: { bytesPerEntry: number }) => {
      result = message.bytesPerEntry;
    });
    worker.on('error', reject);
    worker.on('exit', (code) =>
      result === undefined
        ? reject(new Error(`bench memory child for ${contender} exited (${code}) without a figure`))
        : resolve(result),
    );
  });
}

/** Memory per entry, 1 KB JSON values: one child process (`--expose-gc`) per contender. */
export async function measureMemory(context: PeerBenchContext): Promise<MemoryFigures> {
  context.progress(`peers · memory per entry (${MEMORY_ENTRIES} entries of 1 KB JSON, a process each)`);
  const figures: MemoryFigures = {};
  for (const [contender, label] of Object.entries(MEMORY_CONTENDERS)) {
    figures[label] = await measureOne(contender, context);
  }
  return figures;
}
