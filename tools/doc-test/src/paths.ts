import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This package's folder: snippets are compiled as if they were files in it (its node_modules). */
export const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The repository root: the Markdown files' paths are relative to it. */
export const REPO_ROOT = join(PACKAGE_DIR, '..', '..');
