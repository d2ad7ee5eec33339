import { getRedis, type RedisHandle } from '@redcache/redis-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allSnippets, docFiles } from '../src/docs.js';
import { runSnippet } from '../src/run.js';
import { formatProblem, typecheckSnippets } from '../src/typecheck.js';

// Every ```ts snippet of README.md, docs/*.md, packages/*/README.md and examples/*/README.md typechecks; every ```ts runnable one runs
// against a real Redis and prints exactly its ```text output block. See src/main.ts.

const snippets = allSnippets();
const problems = typecheckSnippets(snippets);

describe('every ts snippet typechecks', () => {
  it('finds the snippets (README.md has its quick start)', () => {
    expect(snippets.some((s) => s.file === 'README.md' && s.mode === 'run')).toBe(true);
  });
  it("reads every package's and example's README.md (what npm users read)", () => {
    expect(docFiles()).toEqual(
      expect.arrayContaining(['packages/core/README.md', 'examples/typed-cache/README.md']),
    );
    expect(snippets.some((s) => s.file === 'packages/testing/README.md' && s.mode === 'run')).toBe(true);
  });
  it.each(docFiles())('%s', (file) => {
    // Each entry reads file:line:column TSnnnn: message, at the line in the Markdown file.
    expect(problems.filter((problem) => problem.file === file).map(formatProblem)).toEqual([]);
  });
  it('no problem outside the snippets (the prelude, the setup)', () => {
    const files = new Set(docFiles());
    expect(problems.filter((problem) => !files.has(problem.file)).map(formatProblem)).toEqual([]);
  });
});

describe('every runnable snippet prints what its doc says', () => {
  let redis: RedisHandle;
  beforeAll(async () => {
    redis = await getRedis();
  });
  afterAll(() => redis?.stop());

  const runnable = snippets.filter((snippet) => snippet.mode === 'run');
  it.each(runnable.map((snippet) => [`${snippet.file}:${snippet.line}`, snippet] as const))(
    '%s',
    async (_where, snippet) => {
      const { stdout } = await runSnippet(snippet, redis.url);
      expect(stdout.trimEnd()).toBe(snippet.output?.trimEnd());
    },
  );
});
