import { maybeObserved } from '../diagnostics/observe-call.js';
import type { EngineContext } from '../engine/engine-context.js';
import type { ClearOptions } from '../view/clear-options.js';
import type { ViewCodecs } from '../view/view-codecs.js';
import { clearPrefix } from './clear-prefix.js';

/**
 * `Cache.clear` of a view: {@link clearPrefix} published on `redcache:clear` when observed (its
 * event has no keys — they are found as it goes — and settles `'written'`, its `result` the
 * count removed) and timed by `Metrics.callDuration`.
 *
 * @param engine - the view's engine
 * @param view - the view's codecs and name
 * @param prefix - the view's prefix (none: a `TypeError`)
 * @param opts - the caller's signal and progress callback
 * @returns the number of keys removed
 */
export function clearView<K, V>(
  engine: EngineContext,
  view: ViewCodecs<K, V>,
  prefix: string | undefined,
  opts: ClearOptions | undefined,
): Promise<number> {
  return maybeObserved(engine.metrics, 'clear', view, [], async (call) => {
    const removed = await clearPrefix(engine, prefix, opts);
    if (call !== undefined) call.outcome = 'written';
    return removed;
  });
}
