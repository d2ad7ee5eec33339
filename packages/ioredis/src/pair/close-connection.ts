import type { Redis } from 'ioredis';

const QUIT_GRACE_MS = 1_000;

/** QUIT (pending replies first) when ready, for at most `QUIT_GRACE_MS`; else, or then, drop the socket. */
export async function closeConnection(connection: Redis): Promise<void> {
  if (connection.status === 'ready') {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, QUIT_GRACE_MS);
    });
    await Promise.race([connection.quit().catch(() => {}), late]);
    clearTimeout(timer);
  }
  connection.disconnect();
}
