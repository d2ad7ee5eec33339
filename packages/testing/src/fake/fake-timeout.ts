/**
 * Runs `run` with a signal that aborts when `signal` does, or after `hardMs` (a timer) with
 * `timeout()` as its reason; the result then rejects with that error at once, whatever the
 * loader does after. Without `hardMs`, `run(signal)` as it is.
 */
export function withHardTimeout<T>(
  hardMs: number | undefined,
  signal: AbortSignal,
  timeout: () => Error,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  if (hardMs === undefined) return run(signal);
  const controller = new AbortController();
  const forward = () => controller.abort(signal.reason);
  signal.addEventListener('abort', forward, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = timeout();
      controller.abort(error);
      reject(error);
    }, hardMs);
  });
  const running = Promise.resolve().then(() => run(controller.signal));
  running.catch(() => {});
  return Promise.race([running, late]).finally(() => {
    clearTimeout(timer);
    signal.removeEventListener('abort', forward);
  });
}
