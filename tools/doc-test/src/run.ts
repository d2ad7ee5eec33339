import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import type { Snippet } from './extract.js';
import { PACKAGE_DIR } from './paths.js';
import { snippetModule, snippetPath } from './typecheck.js';

export interface SnippetRun {
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a snippet as a program (node through tsx, from this package's folder, so its imports
 * resolve here) with `REDIS_URL` set to `redisUrl`. Resolves with what it printed.
 * @throws Error with its stderr when it exits with a status other than 0 or outlives `timeoutMs`.
 */
export async function runSnippet(
  snippet: Snippet,
  redisUrl: string,
  timeoutMs = 60_000,
): Promise<SnippetRun> {
  const path = snippetPath(snippet);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, snippetModule(snippet));
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', path], {
      cwd: PACKAGE_DIR,
      env: { ...process.env, REDIS_URL: redisUrl },
      timeout: timeoutMs,
    });
    return { stdout, stderr };
  } catch (error) {
    const failed = error as Error & { stderr?: string };
    throw new Error(`${snippet.file}:${snippet.line}: the runnable snippet failed: ${failed.message}`);
  } finally {
    rmSync(path, { force: true });
  }
}
