import { connect } from '@redcache/node-redis';
import type { BenchOptions } from './bench-options.js';
import type { WriteFigures } from './figures.js';
import type { ReadBenchContext } from './measure-reads.js';
import { runRounds } from './rounds.js';
import { refreshHitContenders, WRITE_BATCH, writeContenders } from './write-contenders.js';

/** The write path, and the cost of refresh-ahead on hits. */
export async function measureWrites(
  context: ReadBenchContext & { readonly plainSet: (key: string, value: string) => Promise<unknown> },
  options: BenchOptions,
): Promise<WriteFigures> {
  const conn = await connect({ url: context.url });
  try {
    context.progress('writes: set, forceSet, touch, del, setMulti, forceSetMulti');
    const writes = writeContenders(conn, context.prefix, context.plainSet);
    context.written.push(...writes.keys);
    const results = await runRounds(writes.contenders, options.rounds, options.measure);

    context.progress('hits with refresh-ahead due on every hit');
    const refresh = await refreshHitContenders(context.url, context.prefix);
    context.written.push(...refresh.keys);
    const [refreshHits] = await runRounds(refresh.contenders, options.rounds, options.measure);
    await refresh.close();
    return { writes: results, batch: WRITE_BATCH, refreshHits: refreshHits! };
  } finally {
    await conn.close();
  }
}
