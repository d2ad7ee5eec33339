/**
 * The doc test: every TypeScript snippet of README.md, docs/*.md and the README.md of every
 * package and example (packages/*, examples/*: what npm users read) typechecks, and the
 * runnable ones run against a real Redis and print what the doc says. `pnpm test` here
 * (`turbo run test`) runs it through vitest (test/docs.test.ts); `pnpm check` runs this file,
 * which prints each problem as `docs/writes.md:23:7 TS2304: …` and exits 1 if there is any.
 *
 * How a snippet is marked — the word after the fence's language:
 *
 * - ```ts — typechecked, as a module of its own (top-level await works), with the strict
 *   tsconfig of the repository. Names a snippet uses but does not define (your database
 *   `db`, a `User`, the `conn` of an earlier snippet on the page) come from
 *   src/prelude.d.ts; its header says what may go there. A missing import is not one of them.
 *   A package import resolves from this folder; a relative one from the Markdown file's folder
 *   (`./src/user.js` in examples/typed-cache/README.md is that example's file, typechecked too).
 *   `// @ts-expect-error` above a line shows a call that must not compile, and checks it does not.
 * - ```ts runnable — typechecked, then run with node and tsx from this folder, with
 *   `REDIS_URL` set to the test's Redis (tools/redis-harness: `REDIS_URL` if set, else a
 *   throwaway redis-server). It must exit 0 and print exactly the block that follows it,
 *   which is a ```text output block (the doc test refuses a runnable snippet without one).
 *   A runnable snippet defines everything it uses (the prelude is for typechecking only) and
 *   imports packages only, as a reader pastes it into an app of their own.
 * - ```ts fragment — left alone: a signature or a piece of a larger program shown on
 *   purpose. Keep these rare; a snippet that can be made whole should be.
 *
 * Any other word after `ts` is an error, so a typo does not switch a check off silently.
 * The languages read are `ts` and `typescript`; every other fence (sh, text, mermaid) is prose.
 */
import { allSnippets } from './docs.js';
import { formatProblem, typecheckSnippets } from './typecheck.js';

const snippets = allSnippets();
const problems = typecheckSnippets(snippets);
for (const problem of problems) console.log(formatProblem(problem));
console.log(`${snippets.length} snippets, ${problems.length} problems`);
if (problems.length > 0) process.exitCode = 1;
