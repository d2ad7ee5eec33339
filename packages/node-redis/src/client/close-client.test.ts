import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Closable, closeClient, closeQuietly } from './close-client.js';

/** A client whose graceful close settles only when the test says so. */
function fakeClient(state: { isOpen: boolean; isReady: boolean }) {
  let finishClose: (() => void) | undefined;
  let failClose: ((error: Error) => void) | undefined;
  const client = {
    ...state,
    closes: 0,
    destroys: 0,
    errorListeners: 0,
    close: () => {
      client.closes++;
      return new Promise<void>((resolve, reject) => {
        finishClose = resolve;
        failClose = reject;
      });
    },
    destroy: () => {
      client.destroys++;
    },
    on: () => {
      client.errorListeners++;
    },
    off: () => {
      client.errorListeners--;
    },
  } satisfies Closable & Record<string, unknown>;
  return {
    client,
    finishClose: () => finishClose?.(),
    failClose: (error: Error) => failClose?.(error),
  };
}

describe('closeClient', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('drops the connections of a ready client whose pending replies do not come within 1 s', async () => {
    const { client } = fakeClient({ isOpen: true, isReady: true });
    let closed = false;
    void closeClient(client).then(() => {
      closed = true;
    });
    expect(client.closes).toBe(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(client.destroys).toBe(0);
    expect(closed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(client.destroys).toBe(1);
    expect(closed).toBe(true);
  });

  it('closes gracefully when the replies come in time, and leaves no timer', async () => {
    const { client, finishClose } = fakeClient({ isOpen: true, isReady: true });
    const closing = closeClient(client);
    await vi.advanceTimersByTimeAsync(500);
    finishClose();
    await closing;
    expect(client.destroys).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('drops the connections when the graceful close fails', async () => {
    const { client, failClose } = fakeClient({ isOpen: true, isReady: true });
    const closing = closeClient(client);
    failClose(new Error('socket closed'));
    await closing;
    expect(client.destroys).toBe(1);
  });

  it('drops a client that is open but not ready at once, and leaves a closed one alone', async () => {
    const connecting = fakeClient({ isOpen: true, isReady: false }).client;
    await closeClient(connecting);
    expect([connecting.closes, connecting.destroys]).toEqual([0, 1]);
    const closed = fakeClient({ isOpen: false, isReady: false }).client;
    await closeClient(closed);
    expect([closed.closes, closed.destroys]).toEqual([0, 0]);
  });

  it('closeQuietly listens for errors only while it closes', async () => {
    const { client, finishClose } = fakeClient({ isOpen: true, isReady: true });
    const closing = closeQuietly(client);
    expect(client.errorListeners).toBe(1);
    finishClose();
    await closing;
    expect(client.errorListeners).toBe(0);
  });
});
