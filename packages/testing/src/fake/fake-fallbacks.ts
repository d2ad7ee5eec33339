import type { FallbackReason } from './fake-call.js';

const SOFT = Symbol('soft timeout');

/**
 * A caller's wait for `loaded` when it has a fallback: the loaded value; or `fallback`, with
 * `serve(reason)` called, when the load fails (`'hard-timeout'` for core's
 * `LoaderTimeoutError`, `'loader-error'` otherwise) or `soft` (the load's soft timeout, see
 * `FakeLoads.softTimeoutOf`) comes first. The caller's own abort is its error, never a fallback.
 */
export async function orFallback(
  loaded: Promise<unknown>,
  fallback: unknown,
  soft: Promise<void> | undefined,
  signal: AbortSignal | undefined,
  serve: (reason: FallbackReason) => void,
): Promise<unknown> {
  loaded.catch(() => {});
  const softly = soft?.then(() => SOFT) ?? new Promise<never>(() => {});
  try {
    const outcome = await Promise.race([loaded, softly]);
    if (outcome !== SOFT) return outcome;
    serve('soft-timeout');
    return fallback;
  } catch (error) {
    if (signal?.aborted === true) throw error;
    serve(isLoaderTimeout(error) ? 'hard-timeout' : 'loader-error');
    return fallback;
  }
}

function isLoaderTimeout(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'E_LOADER_TIMEOUT';
}
