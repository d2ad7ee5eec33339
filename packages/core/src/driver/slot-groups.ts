import type { RedisCommand } from '../driver.js';

/** Groups keys by `slotOf`, keeping their order within each group. */
export function groupBySlot<T extends string>(keys: Iterable<T>, slotOf: (key: string) => number): T[][] {
  if (Array.isArray(keys) && keys.length === 1) return [[keys[0] as T]];
  const groups = new Map<number, T[]>();
  for (const key of keys) {
    const slot = slotOf(key);
    const group = groups.get(slot);
    if (group === undefined) groups.set(slot, [key]);
    else group.push(key);
  }
  return [...groups.values()];
}

/** The key an error names: the one key, or every key of the pipeline. */
export function keyOf(commands: readonly RedisCommand[]): string | string[] | undefined {
  const keys = commands.map((c) => c.key);
  return keys.length === 1 ? keys[0] : keys;
}
