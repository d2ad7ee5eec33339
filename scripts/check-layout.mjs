#!/usr/bin/env node
// Fails when the source layout drifts from docs/architecture.md's rules:
// - packages/core/src keeps at its root only the public surface (the files listed below);
//   everything else lives in a folder named for its concept;
// - no class extends another inside core, except error classes (the public error hierarchy:
//   RedcacheError and its subclasses, a codec's own Error subclass);
// - no source file (tests aside) in packages/*/src is over 300 lines.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const MAX_LINES = 300;
const CORE_ROOT = new Set([
  'index.ts',
  'wire.ts',
  'internal.ts',
  'conn.ts',
  'new-cache.ts',
  'cache.ts',
  'codec.ts',
  'driver.ts',
  'options.ts',
  'metrics.ts',
  'logger.ts',
]);

const problems = [];
const sources = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (path.endsWith('.ts') && !path.endsWith('.test.ts') && !path.endsWith('.d.ts'))
      sources.push(path);
  }
};
for (const pkg of readdirSync(join(root, 'packages'))) {
  try {
    walk(join(root, 'packages', pkg, 'src'));
  } catch {}
}

const coreSrc = join(root, 'packages', 'core', 'src');
for (const name of readdirSync(coreSrc)) {
  const path = join(coreSrc, name);
  if (statSync(path).isFile() && !CORE_ROOT.has(name)) {
    problems.push(
      `packages/core/src/${name}: only the public surface lives at core's root; move it to a folder`,
    );
  }
}

const extendsPattern = /\bclass\s+(\w+)(?:<[^>]*>)?\s+extends\s+(\w+)/g;
for (const file of sources) {
  const text = readFileSync(file, 'utf8');
  const where = relative(root, file);
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  if (lines > MAX_LINES)
    problems.push(`${where}: ${lines} lines (at most ${MAX_LINES}); split it by concept`);
  if (!file.startsWith(coreSrc)) continue;
  for (const [, name, base] of text.matchAll(extendsPattern)) {
    if (!(name.endsWith('Error') && (base === 'Error' || base.endsWith('Error')))) {
      problems.push(`${where}: class ${name} extends ${base}: compose instead (only error classes extend)`);
    }
  }
}

if (problems.length > 0) {
  console.error(`layout: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(
  `layout: ${sources.length} source files, core's root is its public surface, none over ${MAX_LINES} lines`,
);
