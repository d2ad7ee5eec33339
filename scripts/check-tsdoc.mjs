#!/usr/bin/env node
// Fails when a public function, method or constructor signature of a package lacks the TSDoc a
// user needs on hover. It converts the packages as `typedoc.json` does (the same entry points,
// through typedoc's API; no output is written) and checks every signature the API docs show:
//
// - `@param` for each parameter (typedoc moves it onto the parameter: a parameter with no text
//   fails), including each overload's own parameter names.
// - `@returns` unless the signature returns `void`, `Promise<void>`, `undefined` or `never`.
//   Constructors are exempt (they return the instance).
// - `@throws` where a caller must know what fails:
//   1. every signature returning a `Promise`: it can reject, so the tag says with what (or that
//      it never rejects);
//   2. every opener and factory, which validate what they are given: functions and methods named
//      `open`, `connect`, `fromClient`, `create…` or `new…`;
//   3. every constructor of a public class that is not an `Error` (constructing an error never
//      throws) and takes a parameter (it validates it).
//   A signature that never throws says so in its `@throws` text ("nothing: …"), so that a reader
//   knows it need not catch.
// - `@example` on the main entry points: every exported function named as in 2 above (`connect`,
//   `fromClient`, `newCache`, `createFakeCache`, …) and the `open` of a class (`Conn.open`).
//
// Inherited members are checked where they are declared (an override is checked itself); private
// and protected members and `@internal` ones are not public and are skipped. Type aliases of
// function types (`Loader`) and properties of function type are left to typedoc's
// `validation.notDocumented`. The list is by source file, one line per missing tag.
//
// Usage: node scripts/check-tsdoc.mjs [path-prefix…]  (only report files under those prefixes)
import { dirname, resolve } from 'node:path';
import { Application, LogLevel, ReflectionKind } from 'typedoc';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);
const only = process.argv.slice(2);

const app = await Application.bootstrapWithPlugins({
  options: resolve(root, 'typedoc.json'),
  // Sources give each failure its file; nothing is emitted, so nothing else is needed.
  packageOptions: {
    excludeInternal: true,
    disableSources: false,
    disableGit: true,
    sourceLinkTemplate: '{path}',
    displayBasePath: root,
  },
  treatWarningsAsErrors: false,
  logLevel: LogLevel.Warn,
});
const project = await app.convert();
if (project === undefined) {
  console.error('check-tsdoc: typedoc could not convert the packages (run `pnpm docs:api` to see why)');
  process.exit(2);
}

const FACTORY = /^(open|connect|fromClient|create[A-Z]\w*|new[A-Z]\w*)$/;
const NO_RESULT = new Set(['void', 'Promise<void>', 'undefined', 'never', 'Promise<undefined>']);

/** Whether class `reflection` extends `Error` (directly or through a class of the project). */
function isErrorClass(reflection) {
  for (const base of reflection.extendedTypes ?? []) {
    if (base.type !== 'reference') continue;
    if (base.name === 'Error') return true;
    const target = base.reflection;
    if (target?.kindOf?.(ReflectionKind.Class) && isErrorClass(target)) return true;
  }
  return false;
}

const hasTag = (comment, tag) =>
  comment?.blockTags.some((t) => t.tag === tag && t.content.length > 0) ?? false;
const hasText = (comment) => (comment?.summary.length ?? 0) > 0;
const isPromise = (type) =>
  type?.type === 'reference' && (type.name === 'Promise' || type.name === 'PromiseLike');

/** The missing tags of one signature of `owner` (a function, method or constructor). */
function missingOf(owner, signature) {
  const missing = [];
  const comment = signature.comment;
  for (const parameter of signature.parameters ?? []) {
    if (!hasText(parameter.comment)) missing.push(`@param ${parameter.name}`);
  }
  const isConstructor = owner.kindOf(ReflectionKind.Constructor);
  const result = String(signature.type);
  if (!isConstructor && !NO_RESULT.has(result) && !hasTag(comment, '@returns')) missing.push('@returns');
  const needsThrows = isConstructor
    ? (signature.parameters?.length ?? 0) > 0 && !isErrorClass(owner.parent)
    : isPromise(signature.type) || FACTORY.test(owner.name);
  if (needsThrows && !hasTag(comment, '@throws')) missing.push('@throws');
  const isEntryPoint =
    FACTORY.test(owner.name) && (owner.kindOf(ReflectionKind.Function) || owner.name === 'open');
  if (isEntryPoint && !hasTag(comment, '@example')) missing.push('@example');
  return missing;
}

const failures = new Map(); // file -> lines

/** The file a signature is declared in (relative to the repository), and its line. */
function sourceOf(reflection, signature) {
  const source = signature.sources?.[0] ?? reflection.sources?.[0];
  return { file: source?.fileName ?? '(unknown file)', line: source?.line };
}

/** `Class.method` or `function`: the names below the package's module. */
function nameOf(reflection) {
  const names = [];
  for (
    let r = reflection;
    r !== undefined && !r.kindOf(ReflectionKind.SomeModule | ReflectionKind.Project);
    r = r.parent
  ) {
    names.unshift(r.name);
  }
  return names.join('.');
}

const CHECKED = ReflectionKind.Function | ReflectionKind.Method | ReflectionKind.Constructor;
let checked = 0;
function walk(reflection) {
  if (reflection.flags?.isPrivate || reflection.flags?.isProtected) return;
  if (reflection.kindOf(CHECKED) && reflection.inheritedFrom === undefined) {
    for (const signature of reflection.signatures ?? []) {
      const { file, line } = sourceOf(reflection, signature);
      if (only.length > 0 && !only.some((prefix) => file.startsWith(prefix))) continue;
      checked++;
      const missing = missingOf(reflection, signature);
      if (missing.length === 0) continue;
      const lines = failures.get(file) ?? [];
      lines.push(
        `  ${nameOf(reflection)}${line === undefined ? '' : `:${line}`}: missing ${missing.join(', ')}`,
      );
      failures.set(file, lines);
    }
  }
  for (const child of reflection.children ?? []) walk(child);
}
walk(project);

const total = [...failures.values()].reduce((n, lines) => n + lines.length, 0);
if (total === 0) {
  console.log(`tsdoc: ${checked} public signatures, each with its @param, @returns and @throws`);
} else {
  for (const [file, lines] of [...failures].sort(([a], [b]) => (a < b ? -1 : 1))) {
    console.error(`${file}\n${lines.join('\n')}`);
  }
  console.error(
    `tsdoc: ${total} of ${checked} public signatures lack TSDoc (see scripts/check-tsdoc.mjs for the rule)`,
  );
  process.exit(1);
}
