import type { LoadEvent, LoadOutcome } from './load-event.js';
import { loadChannel } from './tracing-channels.js';

/**
 * Runs `load` as a traced `redcache:load`. Call it only when `loadChannel.hasSubscribers` (else
 * run the loader directly: nothing is built). `failed` names the outcome once the run rejected.
 */
export function traceLoad<T>(
  op: string,
  view: string | undefined,
  keys: readonly string[],
  load: () => Promise<T>,
  failed: () => LoadOutcome,
): Promise<T> {
  const event: LoadEvent =
    view === undefined
      ? { op, keys, keyCount: keys.length, outcome: undefined }
      : { op, view, keys, keyCount: keys.length, outcome: undefined };
  return loadChannel.tracePromise(async () => {
    try {
      const values = await load();
      event.outcome = 'loaded';
      return values;
    } catch (error) {
      event.outcome = failed();
      throw error;
    }
  }, event);
}
