/**
 * Whether `text` matches the glob `pattern` as Redis's `SCAN MATCH` (`stringmatchlen`) reads
 * it: `*` any run, `?` any one character, `[abc]`, `[^a]`, `[a-z]` a class, `\x` the character
 * `x` itself. Characters, not bytes: the memory Redis keeps keys as text.
 */
export function globMatch(pattern: string, text: string): boolean {
  return matchFrom(Array.from(pattern), 0, Array.from(text), 0);
}

function matchFrom(pattern: readonly string[], p: number, text: readonly string[], t: number): boolean {
  while (p < pattern.length) {
    const token = pattern[p]!;
    if (token === '*') {
      while (pattern[p + 1] === '*') p++;
      if (p + 1 === pattern.length) return true;
      for (let from = t; from <= text.length; from++) if (matchFrom(pattern, p + 1, text, from)) return true;
      return false;
    }
    if (t >= text.length) return false;
    if (token === '?') {
      p++;
    } else if (token === '[') {
      const klass = readClass(pattern, p + 1);
      if (klass.matches(text[t]!) === klass.negated) return false;
      p = klass.end;
    } else {
      const escaped = token === '\\' && p + 1 < pattern.length;
      if (escaped) p++;
      if (pattern[p] !== text[t]) return false;
      p++;
    }
    t++;
  }
  return t === text.length;
}

/** A `[…]` class starting at `start` (just past `[`): what it matches, and where the pattern goes on. */
function readClass(
  pattern: readonly string[],
  start: number,
): { negated: boolean; matches: (c: string) => boolean; end: number } {
  let p = start;
  const negated = pattern[p] === '^';
  if (negated) p++;
  const ranges: Array<[string, string]> = [];
  /** The class character at `p` (an escaped one taken as it is); moves `p` past it. */
  const take = (): string => {
    if (pattern[p] === '\\' && p + 1 < pattern.length) p++;
    return pattern[p++]!;
  };
  while (p < pattern.length && pattern[p] !== ']') {
    const low = take();
    if (pattern[p] === '-' && p + 1 < pattern.length && pattern[p + 1] !== ']') {
      p++;
      const high = take();
      ranges.push(low <= high ? [low, high] : [high, low]);
    } else {
      ranges.push([low, low]);
    }
  }
  const matches = (c: string) => ranges.some(([low, high]) => c >= low && c <= high);
  return { negated, matches, end: Math.min(p + 1, pattern.length) };
}
