/** The characters a `SCAN MATCH` glob gives a meaning to (Redis's `stringmatchlen`). */
const GLOB_SPECIAL = /[\\*?[\]]/g;

/**
 * The `SCAN MATCH` pattern of every key that starts with `prefix`: the prefix with each glob
 * character escaped (`*`, `?`, `[`, `]`, `\`), then `*`. So `'users:'` matches `users:7` and not
 * `users2:7`, and a prefix such as `'a*b:'` matches only keys that start with those very
 * characters.
 */
export function prefixPattern(prefix: string): string {
  return `${prefix.replace(GLOB_SPECIAL, '\\$&')}*`;
}
