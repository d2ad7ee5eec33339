/** Options of a view (`newCache`, `newStringCache`, `newBytesCache`). */
export interface ViewOptions {
  /**
   * The view's name: the `view` of its channel events, a span attribute and a metric attribute
   * (`redcache.cache.name`), so two views' hits are two lines on a dashboard. Keep it low in
   * cardinality (one per kind of value, not per key).
   */
  name?: string;
  /**
   * A key prefix, the view's namespace: every key is stored as `prefix + key` (after the key
   * codec), and `clear()` removes every key under it. Views with different prefixes never share
   * keys. End it with a separator (`'users:'`): a prefix that is the start of another (`'users'`
   * and `'users2'`) would clear the other's keys too.
   *
   * A non-empty string of well-formed UTF-16 that does not overlap the connection's
   * `refreshLockPrefix`. On a cluster a key's hash tag still decides its slot
   * (`'users:' + '{42}:profile'` goes with `{42}`); a hash tag in the prefix (`'{users}:'`)
   * puts every key of the view in one slot, so on one master. A `{` must open a complete,
   * non-empty tag. See docs/namespaces.md.
   */
  prefix?: string;
}
