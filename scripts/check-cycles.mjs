#!/usr/bin/env node
// Fails when the source of any package has an import cycle. Follows relative imports of
// values (not `import type`, which vanishes at runtime) between files under packages/*/src.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (path.endsWith('.ts') && !path.endsWith('.test.ts') && !path.endsWith('.d.ts')) files.push(path);
  }
};
for (const pkg of readdirSync(join(root, 'packages'))) {
  const src = join(root, 'packages', pkg, 'src');
  try {
    walk(src);
  } catch {}
}

const importPattern = /^\s*(?:import|export)\s+(?!type\b)(?:[^'"]*?\sfrom\s+)?['"](\.[^'"]+)['"]/gm;
const edges = new Map();
for (const file of files) {
  const targets = [];
  for (const match of readFileSync(file, 'utf8').matchAll(importPattern)) {
    targets.push(resolve(dirname(file), match[1].replace(/\.js$/, '.ts')));
  }
  edges.set(file, targets);
}

const state = new Map();
const cycles = [];
const visit = (file, stack) => {
  state.set(file, 'visiting');
  for (const next of edges.get(file) ?? []) {
    if (!edges.has(next)) continue;
    if (state.get(next) === 'visiting') cycles.push([...stack.slice(stack.indexOf(next)), next]);
    else if (!state.has(next)) visit(next, [...stack, next]);
  }
  state.set(file, 'done');
};
for (const file of files) if (!state.has(file)) visit(file, [file]);

if (cycles.length > 0) {
  for (const cycle of cycles)
    console.error(`import cycle: ${cycle.map((f) => relative(root, f)).join(' -> ')}`);
  process.exit(1);
}
console.log(`no import cycles in ${files.length} source files`);
