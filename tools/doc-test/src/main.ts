import { allSnippets } from './docs.js';
import { formatProblem, typecheckSnippets } from './typecheck.js';

const snippets = allSnippets();
const problems = typecheckSnippets(snippets);
for (const problem of problems) console.log(formatProblem(problem));
console.log(`${snippets.length} snippets, ${problems.length} problems`);
