/** An option's value in a message: a string quoted, anything else with its type. */
export function shownOption(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : `${String(value)} (${typeof value})`;
}
