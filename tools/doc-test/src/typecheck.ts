import { join } from 'node:path';
import ts from 'typescript';
import type { Snippet } from './extract.js';
import { PACKAGE_DIR, REPO_ROOT } from './paths.js';
import { snippetResolver } from './resolve.js';

/** A TypeScript error in a snippet, at its place in the Markdown file. */
export interface Problem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

const PRELUDE = join(PACKAGE_DIR, 'src', 'prelude.d.ts');

/** Where a snippet lives while it is compiled or run: `snippets/docs__writes.md-22.ts`. */
export function snippetPath(snippet: Snippet): string {
  return join(PACKAGE_DIR, 'snippets', `${snippet.file.replaceAll('/', '__')}-${snippet.line}.ts`);
}

/** The snippet as a module of its own (so top-level await and its own names work). */
export function snippetModule(snippet: Snippet): string {
  return `${snippet.code}\nexport {};\n`;
}

function compilerOptions(): ts.CompilerOptions {
  const configPath = join(PACKAGE_DIR, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, PACKAGE_DIR, undefined, configPath);
  // rootDir: the files a snippet imports relatively (an example's src) are outside this package.
  return { ...parsed.options, noEmit: true, rootDir: REPO_ROOT };
}

/**
 * Typechecks every snippet but the fragments in one program, each as its own module, with `src/prelude.d.ts`
 * declaring the stand-ins the docs use without defining. A relative import resolves from the
 * snippet's Markdown file (see `snippetResolver`). Problems are placed at the Markdown file and
 * line of the code they are about.
 */
export function typecheckSnippets(snippets: readonly Snippet[]): Problem[] {
  const options = compilerOptions();
  const checked = snippets.filter((snippet) => snippet.mode !== 'fragment');
  const virtual = new Map(checked.map((snippet) => [snippetPath(snippet), snippet]));
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (name) => virtual.has(name) || fileExists.call(host, name);
  host.readFile = (name) => {
    const snippet = virtual.get(name);
    return snippet === undefined ? readFile.call(host, name) : snippetModule(snippet);
  };
  host.getSourceFile = (name, language, ...rest) => {
    const snippet = virtual.get(name);
    if (snippet === undefined) return getSourceFile.call(host, name, language, ...rest);
    return ts.createSourceFile(name, snippetModule(snippet), language);
  };
  host.resolveModuleNameLiterals = snippetResolver(virtual, options, host);
  const program = ts.createProgram([...virtual.keys(), PRELUDE], options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    const code = `TS${diagnostic.code}`;
    const source = diagnostic.file;
    const snippet = source === undefined ? undefined : virtual.get(source.fileName);
    if (source === undefined || snippet === undefined || diagnostic.start === undefined) {
      const where = source?.fileName ?? 'the doc test';
      return { file: where, line: 0, column: 0, message: `${code}: ${message}` };
    }
    const { line, character } = source.getLineAndCharacterOfPosition(diagnostic.start);
    return {
      file: snippet.file,
      line: snippet.line + line,
      column: character + 1,
      message: `${code}: ${message}`,
    };
  });
}

/** `docs/writes.md:23:7 TS2304: Cannot find name 'db'.` */
export function formatProblem(problem: Problem): string {
  return `${problem.file}:${problem.line}:${problem.column} ${problem.message}`;
}
