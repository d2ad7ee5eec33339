/** A child for fleet.test.ts: echoes, fails or exits on request. */
import { notifyParent, serveParent, sleep } from '../src/index.js';
import type { EchoChannel, EchoRequest } from './echo-channel.js';

const [prefix = ''] = process.argv.slice(2);

async function handle(request: EchoRequest): Promise<string> {
  switch (request.type) {
    case 'echo':
      notifyParent<EchoChannel>({ type: 'started', text: request.text });
      await sleep(request.delayMs);
      return `${prefix}${request.text}`;
    case 'fail':
      throw new Error(request.message);
    case 'exit':
      process.exit(request.code);
  }
}

serveParent<EchoChannel>({ handle, close: async () => {} });
