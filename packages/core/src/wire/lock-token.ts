import { uuidv7 } from 'uuidv7';

/**
 * Makes lock values in the Go library's shape: `<lockPrefix><uuidv7>:<counter>`. One UUIDv7
 * per connection, a counter that starts at 1 and grows by one per lock.
 */
export class LockTokens {
  readonly #instance: string;
  #counter = 0n;

  constructor(lockPrefix: string) {
    this.#instance = `${lockPrefix}${uuidv7()}:`;
  }

  next(): string {
    this.#counter += 1n;
    return `${this.#instance}${this.#counter}`;
  }
}
