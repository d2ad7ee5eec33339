/**
 * A promise with its `resolve` and `reject` at hand, for a wait that many callers share and
 * something else ends. With `handled`, a rejection nobody awaits is not reported as unhandled
 * (a wait that may end with no one waiting).
 */
export class Deferred<T = void> {
  readonly promise: Promise<T>;
  resolve!: (value: T) => void;
  reject!: (error: unknown) => void;

  constructor({ handled = false }: { readonly handled?: boolean } = {}) {
    this.promise = new Promise<T>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    if (handled) this.promise.catch(() => {});
  }
}
