/**
 * Module hooks (`module.register`) that compile tracing out of core's `get`: the loaded
 * `dist/read/get.js` calls the untraced `getKey` straight away and never marks a near hit's
 * outcome, as if core had no channels. Throws when the source no longer has the shape it
 * strips, so the baseline can never silently be the traced code.
 */
type LoadResult = { format?: string; source?: string | ArrayBuffer | Uint8Array };
type NextLoad = (url: string, context: unknown) => Promise<LoadResult>;

/** Set on `globalThis` by the stripped `get.js` when it runs. */
export const STRIPPED_MARK = '__redcacheTracingStripped';

const GET_MODULE = /\/core\/dist\/read\/get\.js$/;
const OBSERVED =
  /if \(!isObserved\(engine\.metrics, 'get'\)\)\s*(return getKey\([^;]*\);)\s*return observeCall\([^;]*;/;
const MARK_NEAR_HIT = /if \(call !== undefined\)\s*call\.outcome = 'nearHit';/;

export async function load(url: string, context: unknown, nextLoad: NextLoad): Promise<LoadResult> {
  const result = await nextLoad(url, context);
  if (!GET_MODULE.test(new URL(url).pathname)) return result;
  const source = typeof result.source === 'string' ? result.source : new TextDecoder().decode(result.source);
  if (!OBSERVED.test(source) || !MARK_NEAR_HIT.test(source))
    throw new Error(`bench: ${url} no longer has the traced shape strip-tracing-hooks removes; update it`);
  const stripped = source.replace(OBSERVED, '$1').replace(MARK_NEAR_HIT, '');
  // The worker checks it: a get.js the hook never saw would be the traced code.
  return { ...result, source: `${stripped}\nglobalThis.${STRIPPED_MARK} = true;\n` };
}
