import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractSnippets, type Snippet } from './extract.js';
import { REPO_ROOT } from './paths.js';

/** The `.md` files directly in `folder` (relative to the repository root), sorted. */
function markdownIn(folder: string): string[] {
  return readdirSync(join(REPO_ROOT, folder))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `${folder}/${name}`);
}

/** The README.md of every folder directly in `folder` that has one: `packages/core/README.md`. */
function readmesIn(folder: string): string[] {
  return readdirSync(join(REPO_ROOT, folder), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(REPO_ROOT, folder, entry.name, 'README.md')))
    .map((entry) => `${folder}/${entry.name}/README.md`)
    .sort();
}

/**
 * README.md, every docs/*.md (docs/api, generated, is a folder and not read), and the README.md of
 * every package and example: what npm users and a clone's reader see.
 */
export function docFiles(): string[] {
  return ['README.md', ...markdownIn('docs'), ...readmesIn('packages'), ...readmesIn('examples')];
}

/** The snippets of every doc file. */
export function allSnippets(): Snippet[] {
  return docFiles().flatMap((file) => extractSnippets(file, readFileSync(join(REPO_ROOT, file), 'utf8')));
}
