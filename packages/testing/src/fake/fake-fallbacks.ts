import type { FallbackReason } from './fake-call.js';

const SOFT = Symbol('soft timeout');

/**
 * Fail-safe's throttle: once a fallback was served for a key, its loader is not called again
 * for `throttleMs` (on the fake's clock); the fallback is served meanwhile.
 */
export class FakeThrottle {
  readonly #until = new Map<string, number>();

  throttled(id: string, now: number): boolean {
    const until = this.#until.get(id);
    if (until !== undefined && now >= until) this.#until.delete(id);
    return until !== undefined && now < until;
  }

  served(id: string, now: number, throttleMs: number): void {
    if (throttleMs > 0) this.#until.set(id, now + throttleMs);
  }

  clear(): void {
    this.#until.clear();
  }
}

/**
 * A caller's wait for `loaded` when it has a fallback: the loaded value; or `fallback`, with
 * `serve(reason)` called, when the load fails (`'hard-timeout'` for core's
 * `LoaderTimeoutError`, `'loader-error'` otherwise) or is not done at `softMs` (a timer; the
 * load goes on and stores its value). The caller's own abort is its error, never a fallback.
 */
export async function orFallback(
  loaded: Promise<unknown>,
  fallback: unknown,
  softMs: number | undefined,
  signal: AbortSignal | undefined,
  serve: (reason: FallbackReason) => void,
): Promise<unknown> {
  loaded.catch(() => {});
  let timer: ReturnType<typeof setTimeout> | undefined;
  const soft = new Promise<typeof SOFT>((resolve) => {
    if (softMs !== undefined) timer = setTimeout(() => resolve(SOFT), softMs);
  });
  try {
    const outcome = await Promise.race([loaded, soft]);
    if (outcome !== SOFT) return outcome;
    serve('soft-timeout');
    return fallback;
  } catch (error) {
    if (signal?.aborted === true) throw error;
    serve(isLoaderTimeout(error) ? 'hard-timeout' : 'loader-error');
    return fallback;
  } finally {
    clearTimeout(timer);
  }
}

function isLoaderTimeout(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'E_LOADER_TIMEOUT';
}
