/**
 * The types of one parent–child conversation, named once and used on both sides: what the
 * parent asks (`request`), what the child answers to each request (`reply`), and what the
 * child reports unasked (`event`, e.g. "my loader started"). Never a value: a type only.
 */
export interface Channel<Request, Reply, Event = never> {
  readonly request: Request;
  readonly reply: Reply;
  readonly event: Event;
}

/** Any channel: the bound of the functions that take one. */
// biome-ignore lint/suspicious/noExplicitAny: a bound, matched by every Channel<…>
export type AnyChannel = Channel<any, any, any>;

/** What the parent sends over IPC. Requests carry an id, so replies may come back in any order. */
export type ToChild =
  | { readonly kind: 'request'; readonly id: number; readonly body: unknown }
  | { readonly kind: 'close' };

/** What the child sends over IPC. */
export type ToParent =
  | { readonly kind: 'ready' }
  | { readonly kind: 'reply'; readonly id: number; readonly body: unknown }
  | { readonly kind: 'failed'; readonly id: number; readonly error: string }
  | { readonly kind: 'event'; readonly body: unknown };
