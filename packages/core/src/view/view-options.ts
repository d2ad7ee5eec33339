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
   * keys. End it with a separator (`'users:'`).
   */
  prefix?: string;
}
