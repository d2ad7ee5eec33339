#!/usr/bin/env node
// Fails when a log record in packages/*/src is not structured as docs/logging.md says: every call
// `logger.<level>(message, attributes)` (or `#logger.` / `.logger.`) gives a message that starts
// with `redcache:` and an attributes object that names the operation (`op`). The check reads the
// source text: it is a lint, and a record it cannot parse is a failure to fix, not to skip. It
// also fails on `console.*` or a write to stdout/stderr in a package: only a logger the user
// passes may speak.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const sources = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'test-support') walk(path);
    } else if (path.endsWith('.ts') && !path.endsWith('.test.ts') && !path.endsWith('.d.ts'))
      sources.push(path);
  }
};
for (const pkg of readdirSync(join(root, 'packages'))) {
  try {
    walk(join(root, 'packages', pkg, 'src'));
  } catch {}
}

/** The text of the call's arguments from `open` (just after its `(`) to the matching `)`. */
function argumentsAt(text, open) {
  let depth = 1;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') depth--;
    if (depth === 0) return text.slice(open, i);
  }
  return undefined;
}

const call = /\blogger\.(debug|info|warn|error)\(/g;
const problems = [];
for (const file of sources) {
  if (file.endsWith(join('core', 'src', 'logger.ts')) || file.includes(join('core', 'src', 'logging')))
    continue;
  const text = readFileSync(file, 'utf8');
  for (const match of text.matchAll(/\b(console\.\w+|process\.(stdout|stderr)\.write)\(/g)) {
    const line = text.slice(0, match.index).split('\n').length;
    problems.push(`${relative(root, file)}:${line}: ${match[1]} in a package: log through Options.logger`);
  }
  for (const match of text.matchAll(call)) {
    const line = text.slice(0, match.index).split('\n').length;
    const where = `${relative(root, file)}:${line}`;
    const args = argumentsAt(text, match.index + match[0].length);
    if (args === undefined) {
      problems.push(`${where}: cannot read this log call's arguments`);
      continue;
    }
    const message = args.trimStart();
    if (!/^['`]redcache: /.test(message) && !/^`\$\{[^}]*\}/.test(message))
      problems.push(`${where}: a log message starts with 'redcache: '`);
    if (!/\bop(:|,|\s*})/.test(args)) problems.push(`${where}: the attributes name the operation (op)`);
  }
}
if (problems.length > 0) {
  console.error(`log records that are not structured (see docs/logging.md):\n${problems.join('\n')}`);
  process.exit(1);
}
console.log(`log records: ${sources.length} files checked`);
