/**
 * Settles as `work` does, or rejects with `onTimeout()` after `timeoutMs`, whichever comes
 * first. The timer is cleared either way, so nothing is left to keep the process alive;
 * `work` itself is not stopped (the caller stops what it started).
 */
export function withDeadline<T>(work: Promise<T>, timeoutMs: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), timeoutMs);
  });
  return Promise.race([work, timedOut]).finally(() => clearTimeout(timer));
}
