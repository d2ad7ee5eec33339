/** "1 key", "3 keys"; `pluralForm` defaults to the word with an s. */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}
