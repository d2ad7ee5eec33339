#!/usr/bin/env node
// Release checks for every published package (each packages/* whose package.json is not
// private). Run after a build: `pnpm check:packages` builds first. For each package it packs
// the tarball `pnpm publish` would upload (`pnpm pack`, which also rewrites `workspace:`
// ranges) and checks that:
//   - it holds only package.json, README.md, LICENSE and dist/**, and README.md and LICENSE
//     are there;
//   - every dist/*.js and dist/*.d.ts still has its source in src/ (no stale build output);
//   - publint --strict passes on it;
//   - @arethetypeswrong/cli passes on it with --profile esm-only (ESM-only packages: the
//     node10 and require() resolutions are not expected to work).
// Exits 1 naming every package and file that failed.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ROOT_FILES = new Set(['package.json', 'README.md', 'LICENSE']);
const REQUIRED_FILES = ['README.md', 'LICENSE'];

const packages = readdirSync(join(root, 'packages'))
  .map((name) => join(root, 'packages', name))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
  .filter(({ manifest }) => manifest.private !== true);

if (packages.length === 0) {
  console.error('check-packages: found no published package under packages/');
  process.exit(1);
}

const failures = [];

// Changesets: each .changeset/*.md (but README.md) must open with the front matter
// `changeset version` parses, naming only published packages. (A Markdown formatter turns
// `"pkg": minor` followed by `---` into a heading; biome.json leaves .changeset alone for that.)
const published = new Set(packages.map(({ manifest }) => manifest.name));
const changesetDir = join(root, '.changeset');
for (const name of existsSync(changesetDir) ? readdirSync(changesetDir) : []) {
  if (!name.endsWith('.md') || name === 'README.md') continue;
  const text = readFileSync(join(changesetDir, name), 'utf8');
  const front = text.match(/^---\r?\n([\s\S]*?)^---\r?$/m);
  const lines = front === null ? [] : front[1].split(/\r?\n/).filter((line) => line.trim() !== '');
  const bad = lines.filter((line) => {
    const release = line.match(/^\s*["']?([^"':]+)["']?\s*:\s*(major|minor|patch)\s*$/);
    return release === null || !published.has(release[1]);
  });
  if (front === null || !text.startsWith('---') || bad.length > 0) {
    const problem =
      front === null || !text.startsWith('---') ? 'no front matter' : `bad lines: ${bad.join(' | ')}`;
    failures.push(
      `.changeset/${name}: ${problem} (expected "---", then lines like "@redcache/core": minor naming published packages, then "---")`,
    );
  }
}
if (failures.length > 0) for (const failure of failures) console.error(`FAIL ${failure}`);
else console.log('changesets: front matter ok');

const scratch = mkdtempSync(join(tmpdir(), 'redcache-pack-'));
try {
  for (const { dir, manifest } of packages) {
    const name = manifest.name;
    const at = relative(root, dir);
    console.log(`\n==== ${name} (${at})`);
    const fail = (message) => {
      failures.push(`${name}: ${message}`);
      console.error(`FAIL ${name}: ${message}`);
    };

    const packed = JSON.parse(
      execFileSync('pnpm', ['pack', '--json', '--pack-destination', scratch], {
        cwd: dir,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      }),
    );
    const files = packed.files.map((file) => file.path).sort();
    console.log(`pnpm pack: ${files.length} files in ${relative(scratch, packed.filename)}`);

    for (const file of files) {
      if (!ROOT_FILES.has(file) && !file.startsWith('dist/')) {
        fail(
          `stray file in the tarball: ${file} (only package.json, README.md, LICENSE and dist/** may be published; fix "files" in ${at}/package.json)`,
        );
      }
    }
    for (const file of REQUIRED_FILES) {
      if (!files.includes(file)) fail(`the tarball has no ${file}: add ${at}/${file}`);
    }
    for (const file of files) {
      const emitted = file.match(/^dist\/(.+?)(?:\.d\.ts|\.js)$/);
      if (emitted !== null && !existsSync(join(dir, 'src', `${emitted[1]}.ts`))) {
        fail(
          `stale build output in the tarball: ${file} has no src/${emitted[1]}.ts (delete ${at}/dist and run 'pnpm build --force', which skips turbo's cache)`,
        );
      }
    }

    const tools = [
      ['publint', ['exec', 'publint', 'run', '--strict', packed.filename]],
      ['attw', ['exec', 'attw', packed.filename, '--profile', 'esm-only', '--format', 'ascii', '--no-color']],
    ];
    for (const [tool, args] of tools) {
      const run = spawnSync('pnpm', args, { cwd: root, stdio: 'inherit' });
      if (run.status !== 0) fail(`${tool} failed (exit ${run.status ?? run.signal}): see its output above`);
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

if (failures.length > 0) {
  console.error(
    `\ncheck-packages: ${failures.length} problem(s):\n${failures.map((f) => `  - ${f}`).join('\n')}`,
  );
  process.exit(1);
}
console.log(`\ncheck-packages: ${packages.map(({ manifest }) => manifest.name).join(', ')}: all good`);
