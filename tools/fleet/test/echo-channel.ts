import type { Channel } from '../src/index.js';

export type EchoRequest =
  | { readonly type: 'echo'; readonly text: string; readonly delayMs: number }
  | { readonly type: 'fail'; readonly message: string }
  | { readonly type: 'exit'; readonly code: number };

export type EchoChannel = Channel<EchoRequest, string, { readonly type: 'started'; readonly text: string }>;
