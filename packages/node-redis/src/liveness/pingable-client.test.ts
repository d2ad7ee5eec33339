import { ErrorReply } from '@redis/client';
import { describe, expect, it } from 'vitest';
import { type PingClient, pingableClient } from './pingable-client.js';

/** A client whose commands get `reply()`, recording what was sent. */
function clientAnswering(reply: () => Promise<unknown>) {
  const sent: Array<{ args: readonly unknown[]; options: unknown }> = [];
  const client: PingClient & { isReady: boolean } = {
    isReady: false,
    sendCommand: (args, options) => {
      sent.push({ args, options });
      return reply();
    },
  };
  return { client, sent };
}

describe('pingableClient', () => {
  it("sends PING without node-redis' timeout option (it would drop a PING not yet written after a blocked tick) and resolves true on a reply", async () => {
    const { client, sent } = clientAnswering(async () => 'PONG');
    await expect(pingableClient(client).ping(250)).resolves.toBe(true);
    expect(sent).toEqual([{ args: ['PING'], options: undefined }]);
  });

  it('counts an error reply as an answer (a user the ACL denies PING), and a failure as none', async () => {
    const denied = clientAnswering(() => Promise.reject(new ErrorReply('NOPERM no permissions')));
    await expect(pingableClient(denied.client).ping(250)).resolves.toBe(true);
    const lost = clientAnswering(() => Promise.reject(new Error('Socket closed unexpectedly')));
    await expect(pingableClient(lost.client).ping(250)).resolves.toBe(false);
  });

  it('reads isReady from the client each time', () => {
    const { client } = clientAnswering(async () => 'PONG');
    const pingable = pingableClient(client);
    expect(pingable.isReady).toBe(false);
    client.isReady = true;
    expect(pingable.isReady).toBe(true);
  });
});
