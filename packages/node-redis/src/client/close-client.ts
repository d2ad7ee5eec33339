/** What closing needs of a node-redis client or cluster. */
export interface Closable {
  readonly isOpen: boolean;
  readonly isReady: boolean;
  close(): Promise<unknown>;
  destroy(): unknown;
  on(event: 'error', listener: () => void): unknown;
  off(event: 'error', listener: () => void): unknown;
}

/** Closes like `closeClient`, and a connection error while closing never becomes an unhandled 'error' event. */
export async function closeQuietly(client: Closable): Promise<void> {
  const ignore = () => {};
  client.on('error', ignore);
  try {
    await closeClient(client);
  } finally {
    client.off('error', ignore);
  }
}

/**
 * How long `close()` waits for pending replies before it drops the connections. Core's
 * `Conn.close()` first lets its own work end and release its locks, within 1 s
 * (`CLOSE_DRAIN_MS`), and only then closes the driver: what may still be pending here are
 * replies no caller waits for any more (say, those of an operation that outlived that
 * drain). So `Conn.close()` over this driver takes at most about 2 s in all.
 */
const CLOSE_GRACE_MS = 1_000;

/**
 * Closes gracefully (pending replies first, for at most `CLOSE_GRACE_MS`) when connected;
 * else, on failure or past that, drops the connections.
 */
export async function closeClient(client: Closable): Promise<void> {
  if (!client.isReady) {
    if (client.isOpen) client.destroy();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), CLOSE_GRACE_MS);
  });
  try {
    const outcome = await Promise.race([client.close(), timedOut]);
    if (outcome === 'timeout') client.destroy();
  } catch {
    client.destroy();
  } finally {
    clearTimeout(timer);
  }
}
