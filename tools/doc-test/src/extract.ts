/** A ```ts block of a Markdown file, and what the doc test does with it. */
export interface Snippet {
  /** The Markdown file, relative to the repository root: `docs/writes.md`. */
  readonly file: string;
  /** The Markdown line of the snippet's first code line (1-based). */
  readonly line: number;
  readonly code: string;
  /** `check`: typechecked; `run`: typechecked, then run; `fragment`: left alone. */
  readonly mode: 'check' | 'run' | 'fragment';
  /** For `run`: the ```text output block that follows it, which the run must print exactly. */
  readonly output?: string;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)\s*(.*)$/;
const MODES = new Set(['runnable', 'fragment']);

interface Fence {
  readonly line: number;
  readonly language: string;
  readonly words: readonly string[];
  readonly body: string;
}

/** Every fenced block of `text`, with the line of its first body line. */
function fences(text: string): Fence[] {
  const lines = text.split('\n');
  const found: Fence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (open === null) continue;
    const [, indent, marks, language, rest] = open as unknown as [string, string, string, string, string];
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = lines[j]!.trim();
      if (close.length >= marks.length && close === marks[0]!.repeat(close.length)) break;
      body.push(lines[j]!.startsWith(indent) ? lines[j]!.slice(indent.length) : lines[j]!);
    }
    found.push({ line: i + 2, language, words: rest.split(/\s+/).filter(Boolean), body: body.join('\n') });
    i = j;
  }
  return found;
}

/**
 * The ```ts (or ```typescript) snippets of one Markdown file. A word after the language sets the
 * mode (```ts runnable, ```ts fragment); an unknown word is an error, so a typo does not
 * silently turn a check off. A runnable snippet's expected output is the next block, when it
 * is a ```text output block.
 * @throws Error naming `file:line` for an unknown word or a runnable block without output.
 */
export function extractSnippets(file: string, text: string): Snippet[] {
  const all = fences(text);
  const snippets: Snippet[] = [];
  for (const [i, fence] of all.entries()) {
    if (fence.language !== 'ts' && fence.language !== 'typescript') continue;
    const unknown = fence.words.filter((word) => !MODES.has(word));
    if (unknown.length > 0 || fence.words.length > 1) {
      throw new Error(
        `${file}:${fence.line - 1}: unknown snippet mode '${fence.words.join(' ')}' (runnable, fragment)`,
      );
    }
    const mode = fence.words[0] === 'runnable' ? 'run' : fence.words[0] === 'fragment' ? 'fragment' : 'check';
    if (mode !== 'run') {
      snippets.push({ file, line: fence.line, code: fence.body, mode });
      continue;
    }
    const next = all[i + 1];
    if (next?.language !== 'text' || next.words[0] !== 'output') {
      throw new Error(
        `${file}:${fence.line - 1}: a runnable snippet is followed by a \`\`\`text output block`,
      );
    }
    snippets.push({ file, line: fence.line, code: fence.body, mode, output: next.body });
  }
  return snippets;
}
