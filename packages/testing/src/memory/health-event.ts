/**
 * A report on the connection, as core's `Driver.onHealth` takes it: `healthy: false` once it is
 * lost (`down()`), `healthy: true` once it is back (`up()`).
 */
export interface MemoryHealthEvent {
  /** `false` on `down()`, `true` on `up()`. */
  readonly healthy: boolean;
  /** Always `'connection'`: the connection was lost, or is back. */
  readonly reason: string;
}
