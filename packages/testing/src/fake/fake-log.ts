import type { FakeCall, LoadReason } from './fake-call.js';

/** A fake cache's call log and its count of loader calls. */
export class FakeLog<K> {
  readonly calls: FakeCall<K>[] = [];
  #loads = 0;

  get loads(): number {
    return this.#loads;
  }

  push(call: FakeCall<K>): void {
    this.calls.push(call);
  }

  /** A loader call for `keys`; `direct` when Redis was down and its value is not stored. */
  load(by: LoadReason, keys: readonly K[], direct = false): void {
    this.#loads++;
    this.calls.push(direct ? { op: 'load', by, keys, direct: true } : { op: 'load', by, keys });
  }

  reset(): void {
    this.calls.length = 0;
    this.#loads = 0;
  }
}
