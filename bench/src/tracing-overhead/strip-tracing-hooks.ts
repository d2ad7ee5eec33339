/**
 * Module hooks (`module.register`) that load a second copy of core with tracing compiled out
 * of `get`: a module imported with a query (`?stripped`, or `?copy…` for a plain copy) passes it
 * on to what it imports from core's own `dist`, and the `?stripped` copy's `read/get.js` calls the untraced `getKey` straight away and
 * never marks a near hit's outcome, as if core had no channels. Throws when the source no longer
 * has the shape it strips, so the baseline can never silently be the traced code; the stripped
 * `get.js` sets `globalThis[STRIPPED_MARK]`, for the bench to check that it ran.
 */
type ResolveResult = { url: string; format?: string | null; shortCircuit?: boolean };
type NextResolve = (specifier: string, context: { parentURL?: string }) => Promise<ResolveResult>;
type LoadResult = { format?: string; source?: string | ArrayBuffer | Uint8Array };
type NextLoad = (url: string, context: unknown) => Promise<LoadResult>;

/** Set on `globalThis` by the stripped `get.js` when it runs. */
export const STRIPPED_MARK = '__redcacheTracingStripped';

const QUERY = '?stripped';
const CORE_DIST = /\/packages\/core\/dist\//;
const GET_MODULE = /\/packages\/core\/dist\/read\/get\.js$/;
const OBSERVED =
  /if \(!isObserved\(engine\.metrics, 'get'\)\)\s*(return getKey\([^;]*\);)\s*return observeCall\([^;]*;/;
const MARK_NEAR_HIT = /if \(call !== undefined\)\s*call\.outcome = 'nearHit';/;

export async function resolve(
  specifier: string,
  context: { parentURL?: string },
  nextResolve: NextResolve,
): Promise<ResolveResult> {
  const result = await nextResolve(specifier, context);
  const query = context.parentURL === undefined ? '' : new URL(context.parentURL).search;
  if (query === '' || !CORE_DIST.test(result.url) || result.url.includes('?')) return result;
  return { ...result, url: `${result.url}${query}` };
}

export async function load(url: string, context: unknown, nextLoad: NextLoad): Promise<LoadResult> {
  const result = await nextLoad(url, context);
  const { pathname, search } = new URL(url);
  if (search !== QUERY || !GET_MODULE.test(pathname)) return result;
  const source = typeof result.source === 'string' ? result.source : new TextDecoder().decode(result.source);
  if (!OBSERVED.test(source) || !MARK_NEAR_HIT.test(source))
    throw new Error(`bench: ${url} no longer has the traced shape strip-tracing-hooks removes; update it`);
  const stripped = source.replace(OBSERVED, '$1').replace(MARK_NEAR_HIT, '');
  return { ...result, source: `${stripped}\nglobalThis.${STRIPPED_MARK} = true;\n` };
}
