/** What a Prometheus scrape says about one metric family: its TYPE and its samples' lines. */
export interface Family {
  readonly type: string;
  readonly samples: string[];
}

/**
 * Reads a scrape in the Prometheus text format into families by name (`# TYPE name type`
 * starts one; a sample belongs to the family whose name it starts with, so a histogram's
 * `_bucket`, `_sum` and `_count` lines land in it).
 */
export function parseScrape(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  let current: Family | undefined;
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type !== null) {
      current = { type: type[2]!, samples: [] };
      families.set(type[1]!, current);
    } else if (line !== '' && !line.startsWith('#')) current?.samples.push(line);
  }
  return families;
}
