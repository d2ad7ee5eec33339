// Run in a child process by connect-fails-fast.test.ts: each connect must reject, and the
// process must then exit by itself: no retry, socket or timer of a failed connect may be left.
import { connect } from '../connect.js';

const [timeout, ...urls] = process.argv.slice(2);
for (const url of urls) {
  // `cluster:<url>` connects a cluster with that root node.
  const options = url.startsWith('cluster:')
    ? { rootNodes: [{ url: url.slice('cluster:'.length) }] }
    : { url };
  const outcome = await connect(options, {}, { connectTimeoutMs: Number(timeout) }).then(
    () => 'connected',
    (error: { code?: string; reason?: string }) => `${error.code} ${error.reason}`,
  );
  process.stdout.write(`${url} ${outcome}\n`);
}
