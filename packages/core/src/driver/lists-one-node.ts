import type { Driver } from '../driver.js';

/**
 * Whether the driver lists exactly one node (`Driver.nodes`): a single server. False when it
 * lists none or cannot; a promise when the driver learns its nodes first (it never rejects:
 * a driver that fails to list them counts as not one server).
 */
export function listsOneNode(driver: Pick<Driver, 'nodes'>): boolean | Promise<boolean> {
  let nodes: ReturnType<NonNullable<Driver['nodes']>> | undefined;
  try {
    nodes = driver.nodes?.();
  } catch {
    return false;
  }
  if (nodes === undefined) return false;
  if (Array.isArray(nodes)) return nodes.length === 1;
  return Promise.resolve(nodes).then(
    (listed) => listed.length === 1,
    () => false,
  );
}
