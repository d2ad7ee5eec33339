/** Rounds of `global.gc()`, each followed by a turn of the event loop. */
const GC_ROUNDS = 5;

/**
 * The heap in use after full collections: `global.gc()` then a `setImmediate` turn (so that
 * WeakRefs kept for the current job are cleared and finalizers run), several times; the
 * smallest `heapUsed` seen. Needs `node --expose-gc`.
 */
export async function retainedHeapBytes(): Promise<number> {
  const gc = globalThis.gc;
  if (gc === undefined) throw new Error('soak: run node with --expose-gc (pnpm soak does)');
  let least = Number.POSITIVE_INFINITY;
  for (let round = 0; round < GC_ROUNDS; round++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
    least = Math.min(least, process.memoryUsage().heapUsed);
  }
  return least;
}
