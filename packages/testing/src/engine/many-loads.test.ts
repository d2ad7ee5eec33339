import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryRedis, type MemoryRedis } from '../memory/memory-redis.js';
import { deferred, type EngineProcess, openProcess } from '../test-support/engine-process.js';

// Many loads at once on one connection (issue 10, defect 10: listeners on long-lived signals).

let server: MemoryRedis;
let opened: EngineProcess[];
let warnings: Error[];
const onWarning = (warning: Error) => warnings.push(warning);

beforeEach(() => {
  server = createMemoryRedis();
  opened = [];
  warnings = [];
  process.on('warning', onWarning);
});
afterEach(async () => {
  process.off('warning', onWarning);
  await Promise.all(opened.map((p) => p.conn.close()));
});

describe('1,000 concurrent loads', () => {
  it('defect 10: print no process warning (no listener per load on the connection, no MaxListenersExceededWarning)', async () => {
    // A lockTTL that a loaded machine's stalls cannot outlast, and no command bound: what is
    // checked is listeners and warnings, not how fast 1,000 loads go through.
    const a = openProcess(server, { lockTTLMs: 1_000, commandTimeoutMs: false });
    opened.push(a);
    const gate = deferred<void>();
    const caller = new AbortController();
    const keys = Array.from({ length: 1_000 }, (_, i) => `k${i}`);
    const loads = keys.map((key) =>
      a.cache.get(
        key,
        60_000,
        async () => {
          await gate.promise;
          return key;
        },
        { signal: caller.signal },
      ),
    );
    // Long enough for every lock to be renewed at least once (every lockTTL/3).
    await new Promise((resolve) => setTimeout(resolve, 500));
    gate.resolve();
    expect(await Promise.all(loads)).toEqual(keys);
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.map((w) => `${w.name}: ${w.message}`)).toEqual([]);
  });
});
