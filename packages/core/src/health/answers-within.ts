import { afterPendingIo } from '../driver/after-pending-io.js';

/**
 * Whether `ping` is answered within `ms`: true when it resolves in time, false when it rejects
 * or the time runs out (its late answer is then ignored). One unref'd timer, cleared once it settles.
 */
export async function answersWithin(ping: () => Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    // Judged after pending I/O: an answer that came while the process was blocked counts.
    timer = setTimeout(() => afterPendingIo(() => resolve(false)), ms).unref();
  });
  const answered = (async () => ping())().then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([answered, late]);
  } finally {
    clearTimeout(timer);
  }
}
