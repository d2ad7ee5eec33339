import { ClosedError, Conn, type Driver, newStringCache, StringCodec } from '@redcache/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryRedis, type MemoryRedis } from './memory-redis.js';

// `clear()` end to end on the memory Redis (one node, SCAN COUNT exact): batches, the signal,
// close, onProgress, and a driver that cannot list its nodes.

const conns: Conn[] = [];
afterEach(async () => {
  await Promise.all(conns.splice(0).map((conn) => conn.close()));
});

function open(driver: Driver): Conn {
  const conn = Conn.open(driver);
  conns.push(conn);
  return conn;
}

function filled(count: number): MemoryRedis {
  const server = createMemoryRedis();
  for (let i = 0; i < count; i++) server.write(`users:${i}`, `v${i}`);
  server.write('users2:0', 'other');
  return server;
}

/** `inner` with its own `nodes`. */
function withNodes(inner: ReturnType<MemoryRedis['connect']>, nodes: NonNullable<Driver['nodes']>): Driver {
  return {
    client: inner,
    send: (commands) => inner.send(commands),
    onInvalidate: (listener) => inner.onInvalidate(listener),
    slotOf: (key) => inner.slotOf(key),
    nodes,
    close: () => inner.close(),
  };
}

describe('clear on the memory Redis', () => {
  it('removes the keys a batch at a time, reporting the total after each', async () => {
    const server = filled(2_500);
    const view = newStringCache(open(server.connect()), StringCodec, { prefix: 'users:' });
    const progress: number[] = [];
    expect(await view.clear({ onProgress: ({ removed }) => progress.push(removed) })).toBe(2_500);
    expect(progress).toEqual([1_000, 2_000, 2_500]);
    expect(server.keys()).toEqual(['users2:0']);
  });

  it('stops after the batch in flight when the signal aborts; the keys removed stay removed', async () => {
    const server = filled(3_000);
    const view = newStringCache(open(server.connect()), StringCodec, { prefix: 'users:' });
    const stop = new AbortController();
    const reason = new Error('enough');
    await expect(view.clear({ signal: stop.signal, onProgress: () => stop.abort(reason) })).rejects.toBe(
      reason,
    );
    expect(server.keys()).toHaveLength(2_001);
    expect(await view.clear()).toBe(2_000);
  });

  it('stops with ClosedError when the Conn closes meanwhile, and close waits for the batch', async () => {
    const server = filled(3_000);
    const conn = open(server.connect());
    const view = newStringCache(conn, StringCodec, { prefix: 'users:' });
    let closing: Promise<void> | undefined;
    const clearing = view.clear({
      onProgress: () => {
        closing ??= conn.close();
      },
    });
    await expect(clearing).rejects.toThrow(ClosedError);
    await closing;
    expect(server.keys()).toHaveLength(2_001);
  });

  it('rejects with what onProgress throws, between batches', async () => {
    const server = filled(3_000);
    const view = newStringCache(open(server.connect()), StringCodec, { prefix: 'users:' });
    const thrown = new Error('progress failed');
    await expect(
      view.clear({
        onProgress: () => {
          throw thrown;
        },
      }),
    ).rejects.toBe(thrown);
    expect(server.keys()).toHaveLength(2_001);
  });

  it('refuses an onProgress that is no function, and an aborted signal, before sending anything', async () => {
    const server = filled(10);
    const driver = server.connect();
    const view = newStringCache(open(driver), StringCodec, { prefix: 'users:' });
    const notAFunction = { onProgress: 'log' as unknown as () => void };
    await expect(view.clear(notAFunction)).rejects.toThrow(/onProgress must be a function, got string/);
    const reason = new Error('gave up');
    await expect(view.clear({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(driver.sent).toEqual([]);
    expect(server.keys()).toHaveLength(11);
  });

  it('waits for nodes a driver lists as a promise; a driver that lists none rejects, naming clear', async () => {
    const server = filled(10);
    const inner = server.connect();
    const listedLater = withNodes(inner, () => Promise.resolve(inner.nodes()));
    const later = newStringCache(open(listedLater), StringCodec, { prefix: 'users:' });
    expect(await later.clear()).toBe(10);
    const none = withNodes(inner, () => []);
    const empty = newStringCache(open(none), StringCodec, { prefix: 'users2:' });
    await expect(empty.clear()).rejects.toThrow(/redcache: clear .*lists no node/);
    expect(server.keys()).toEqual(['users2:0']);
  });

  it("does not call onProgress after another node's failure has stopped the clear (was: a batch in flight on a second node still reported)", async () => {
    const server = filled(10);
    const inner = server.connect();
    const real = inner.nodes()[0]!;
    let failB!: (error: Error) => void;
    const broken = { address: 'b:6379', send: () => new Promise<never>((_, reject) => (failB = reject)) };
    const slow = {
      address: real.address,
      send: async (commands: Parameters<typeof real.send>[0]) => {
        if (commands[0]?.[0] === 'UNLINK') failB(new Error('b down'));
        return real.send(commands);
      },
    };
    const twoNodes = withNodes(inner, () => [slow, broken]);
    const view = newStringCache(open(twoNodes), StringCodec, { prefix: 'users:' });
    const progress: number[] = [];
    await expect(view.clear({ onProgress: ({ removed }) => progress.push(removed) })).rejects.toThrow(
      /b down/,
    );
    expect(progress).toEqual([]);
  });

  it('rejects with a TypeError, sending nothing, when the driver cannot list its nodes', async () => {
    const server = filled(10);
    const inner = server.connect();
    const withoutNodes: Driver = {
      client: inner,
      send: (commands) => inner.send(commands),
      onInvalidate: (listener) => inner.onInvalidate(listener),
      slotOf: (key) => inner.slotOf(key),
      close: () => inner.close(),
    };
    const view = newStringCache(open(withoutNodes), StringCodec, { prefix: 'users:' });
    await expect(view.clear()).rejects.toThrow(/cannot list its nodes \(Driver\.nodes\)/);
    expect(inner.sent).toEqual([]);
    expect(server.keys()).toHaveLength(11);
  });

  it("drops this Conn's near-cache entries and every other Conn's", async () => {
    const server = filled(50);
    const driverB = server.connect();
    const [a, b] = [open(server.connect()), open(driverB)];
    const viewA = newStringCache(a, StringCodec, { prefix: 'users:' });
    const viewB = newStringCache(b, StringCodec, { prefix: 'users:' });
    const keys = ['1', '2', '3'];
    const old = async (wanted: string[]) => new Map(wanted.map((k) => [k, 'loaded']));
    for (const view of [viewA, viewB])
      expect([...(await view.getMulti(keys, 60_000, old)).values()]).toEqual(['v1', 'v2', 'v3']);
    expect(await viewA.clear()).toBe(50);
    const fresh = async (wanted: string[]) => new Map(wanted.map((k) => [k, `new${k}`]));
    expect([...(await viewA.getMulti(keys, 60_000, fresh)).values()]).toEqual(['new1', 'new2', 'new3']);
    // B's pushes arrive in order with its replies: once a round trip on B is back, they are in.
    await driverB.send([{ key: 'probe', args: ['GET', 'probe'] }]);
    expect([...(await viewB.getMulti(keys, 60_000, fresh)).values()]).toEqual(['new1', 'new2', 'new3']);
  });
});
