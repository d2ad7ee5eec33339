import { basename, dirname, join } from 'node:path';
import ts from 'typescript';
import type { Snippet } from './extract.js';
import { REPO_ROOT } from './paths.js';

const isRelative = (specifier: string) => specifier.startsWith('./') || specifier.startsWith('../');

/**
 * Module resolution for the snippets: a package (`@redcache/core`) resolves from this package's
 * node_modules; a relative import resolves from the folder of the snippet's Markdown
 * file, so `import { UserId } from './src/user.js'` in examples/typed-cache/README.md is that
 * example's own file, typechecked with it. `virtual` maps a snippet's compiled path to it.
 */
export function snippetResolver(
  virtual: ReadonlyMap<string, Snippet>,
  options: ts.CompilerOptions,
  host: ts.CompilerHost,
): NonNullable<ts.CompilerHost['resolveModuleNameLiterals']> {
  const cache = ts.createModuleResolutionCache(
    host.getCurrentDirectory(),
    host.getCanonicalFileName,
    options,
  );
  return (literals, containingFile, redirectedReference, _options, sourceFile) => {
    const snippet = virtual.get(containingFile);
    const beside = snippet && join(REPO_ROOT, dirname(snippet.file), basename(containingFile));
    return literals.map((literal) => {
      const from = beside !== undefined && isRelative(literal.text) ? beside : containingFile;
      const mode = ts.getModeForUsageLocation(sourceFile, literal, options);
      return ts.resolveModuleName(literal.text, from, options, host, cache, redirectedReference, mode);
    });
  };
}
