import { EventEmitter } from 'node:events';
import { ErrorReply } from '@redis/client';
import type { ClientPort } from '../client/client-port.js';
import type { ClusterPort } from '../cluster/cluster-port.js';

/** What a fake node answers: a reply, or an error reply for a message such as `ASK 1 h:1`. */
export type FakeAnswer = { readonly reply: unknown } | { readonly error: string };

const answer = async (fake: FakeAnswer): Promise<unknown> => {
  if ('error' in fake) throw new ErrorReply(fake.error);
  return fake.reply;
};

/** A node client that answers every command with `answers()`. */
export function fakeNode(answers: () => FakeAnswer): ClientPort {
  return Object.assign(new EventEmitter(), {
    isOpen: true,
    isReady: true,
    sendCommand: () => answer(answers()),
    close: async () => {},
    destroy: () => {},
  });
}

/**
 * A cluster for the driver's redirect logic, without a server: `owner()` is the node client it
 * routes keys to (a test changes it to play a topology change), and `resend()` answers the
 * commands the driver sends again through the cluster (which would follow MOVED and ASK).
 */
export function fakeCluster(owner: () => ClientPort, resend: () => FakeAnswer): ClusterPort {
  return Object.assign(new EventEmitter(), {
    _options: { RESP: 3 as const, defaults: { emitInvalidate: true } },
    masters: [],
    replicas: [],
    isOpen: true,
    isReady: true,
    getNodeClientForKey: async () => owner(),
    sendCommand: () => answer(resend()),
    close: async () => {},
    destroy: () => {},
  });
}
