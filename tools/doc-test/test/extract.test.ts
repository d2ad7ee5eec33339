import { describe, expect, it } from 'vitest';
import { extractSnippets } from '../src/extract.js';
import { formatProblem, typecheckSnippets } from '../src/typecheck.js';

const page = [
  '# A page', //                                    1
  '', //                                            2
  '```ts', //                                       3
  "import { StringCodec } from '@redcache/core';", // 4
  'const n: number = StringCodec;', //              5: the error
  '```', //                                         6
  '', //                                            7
  '```ts fragment', //                              8
  'get(key, ttlMs, loader): Promise<V>', //         9
  '```', //                                        10
  '', //                                           11
  '```ts runnable', //                             12
  "console.log('hi');", //                         13
  '```', //                                        14
  '', //                                           15
  '```text output', //                             16
  'hi', //                                         17
  '```', //                                        18
].join('\n');

describe('the doc test', () => {
  it('reports a snippet that does not typecheck at its Markdown file, line and column', () => {
    const problems = typecheckSnippets(extractSnippets('docs/page.md', page)).map(formatProblem);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^docs\/page\.md:5:7 TS2322: Type '.*' is not assignable to type 'number'\./);
  });

  it('reads the mode after the language: checked, fragment (left alone), runnable with its output', () => {
    const snippets = extractSnippets('docs/page.md', page);
    expect(snippets.map((s) => [s.line, s.mode, s.output])).toEqual([
      [4, 'check', undefined],
      [9, 'fragment', undefined],
      [13, 'run', 'hi'],
    ]);
  });

  it("resolves a snippet's relative import from its Markdown file's folder, and typechecks what it imports", () => {
    const beside = [
      '```ts',
      "import { answer } from './answer.js';",
      'const s: string = answer;',
      '```',
    ].join('\n');
    const problems = typecheckSnippets(extractSnippets('tools/doc-test/test/fixtures/page.md', beside));
    expect(problems.map(formatProblem)).toEqual([
      "tools/doc-test/test/fixtures/page.md:3:7 TS2322: Type 'number' is not assignable to type 'string'.",
    ]);
  });

  it('refuses an unknown mode and a runnable snippet without an output block, naming the fence', () => {
    expect(() => extractSnippets('a.md', '\n```ts runable\nx;\n```')).toThrow(
      "a.md:2: unknown snippet mode 'runable'",
    );
    expect(() => extractSnippets('a.md', '```ts runnable\nx;\n```\n')).toThrow(
      'a.md:1: a runnable snippet is followed by a ```text output block',
    );
  });
});
