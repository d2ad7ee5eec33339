import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractSnippets, type Snippet } from './extract.js';
import { PACKAGE_DIR } from './typecheck.js';

/** The repository root. */
export const REPO_ROOT = join(PACKAGE_DIR, '..', '..');

/** README.md and every docs/*.md (docs/api, generated, is a folder and not read). */
export function docFiles(): string[] {
  const docs = readdirSync(join(REPO_ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', ...docs];
}

/** The snippets of every doc file. */
export function allSnippets(): Snippet[] {
  return docFiles().flatMap((file) => extractSnippets(file, readFileSync(join(REPO_ROOT, file), 'utf8')));
}
