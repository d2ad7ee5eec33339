export type WorkerRequest =
  | {
      readonly type: 'get';
      readonly key: string;
      readonly concurrency: number;
      readonly ttlMs: number;
      readonly loaderMs: number;
      readonly counterKey: string;
      readonly value: string;
    }
  | { readonly type: 'close' };

export type WorkerReply =
  | {
      readonly type: 'result';
      /** `<value>@<pid of the loading process>` per caller, or `error:<message>`. */
      readonly values: string[];
      readonly wakes: Record<string, number>;
      readonly lockAttempts: number;
      readonly locksAcquired: number;
      readonly loaderCalls: number;
    }
  | { readonly type: 'closed' };

export type WorkerEvent =
  | WorkerReply
  | { readonly type: 'ready' | 'loading'; readonly key?: string }
  | { readonly type: 'error'; readonly message: string };
