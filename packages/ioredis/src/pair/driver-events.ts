import type { DriverHealthEvent, InvalidationListener } from '@redcache/core';
import { HealthListeners, InvalidationListeners } from '@redcache/core/internal';
import type { PairReports } from './tracking-pair.js';

/**
 * A driver's two event streams, fed by its pairs (it is their `PairReports`) and read through
 * `Driver.onInvalidate` and `Driver.onHealth`: one owner for both, in either driver.
 */
export class DriverEvents implements PairReports {
  readonly #invalidations = new InvalidationListeners();
  readonly #health = new HealthListeners();

  readonly invalidate = (key: string | null): void => this.#invalidations.emit(key);
  readonly health = (event: DriverHealthEvent): void => this.#health.emit(event);

  onInvalidate(listener: InvalidationListener): () => void {
    return this.#invalidations.add(listener);
  }

  onHealth(listener: (event: DriverHealthEvent) => void): () => void {
    return this.#health.add(listener);
  }

  /** Drops every listener (the driver is closed). */
  clear(): void {
    this.#invalidations.clear();
    this.#health.clear();
  }
}
