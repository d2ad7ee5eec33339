import type { RedisArgument } from '@redis/client';
import type { ClientPort } from '../client/client-port.js';
import { COMMAND_OPTIONS } from './command-options.js';

/** Sends one command (already in node-redis's argument shape) and resolves with its decoded reply. */
export type SendArgs = (args: readonly RedisArgument[]) => Promise<unknown>;

const senders = new WeakMap<ClientPort, SendArgs>();

/**
 * How the drivers send a command on `client` with `COMMAND_OPTIONS`, made once per client.
 *
 * node-redis merges a call's options into the client's defaults with an object spread, on
 * every command; options with keys the defaults lack (ours add `typeMapping` and
 * `abortSignal`) take V8's slow path: about 0.5–1 µs and a dictionary-mode object per
 * command, more than the rest of the client's work for it. A view made with
 * `withCommandOptions` holds the merged options (merged once): its commands pass none. A
 * client without it (a test double) gets the options on each call.
 */
export function commandSender(client: ClientPort): SendArgs {
  let send = senders.get(client);
  if (send === undefined) {
    send = senderOf(client);
    senders.set(client, send);
  }
  return send;
}

function senderOf(client: ClientPort): SendArgs {
  if (typeof client.withCommandOptions !== 'function') {
    return (args) => client.sendCommand(args, COMMAND_OPTIONS);
  }
  const view = client.withCommandOptions(COMMAND_OPTIONS);
  return (args) => view.sendCommand(args);
}
