import { connect } from 'node:net';

/** A RESP2 reply as this helper decodes it: bulk and simple strings as text, an error as an `Error`. */
export type RespValue = string | number | null | Error | RespValue[];

/**
 * Sends one command to a Redis server on its own short-lived connection and resolves with the
 * decoded RESP2 reply (an error reply resolves as an `Error`). Rejects when the server cannot
 * be reached or does not answer within `timeoutMs`. For the harness's own probes, so it needs
 * no Redis client library.
 */
export function redisCommand(
  host: string,
  port: number,
  args: readonly string[],
  timeoutMs = 2_000,
): Promise<RespValue> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let received = Buffer.alloc(0);
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(timeoutMs, () => fail(new Error(`redis at ${host}:${port}: no reply to ${args[0]}`)));
    socket.once('error', fail);
    socket.once('close', () => reject(new Error(`redis at ${host}:${port} closed the connection`)));
    socket.once('connect', () => socket.write(encodeCommand(args)));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      let parsed: Parsed | undefined;
      try {
        parsed = parseReply(received, 0);
      } catch (error) {
        fail(error as Error);
        return;
      }
      if (parsed === undefined) return;
      socket.destroy();
      resolve(parsed.value);
    });
  });
}

function encodeCommand(args: readonly string[]): Buffer {
  const parts = [`*${args.length}\r\n`];
  for (const arg of args) parts.push(`$${Buffer.byteLength(arg)}\r\n${arg}\r\n`);
  return Buffer.from(parts.join(''));
}

interface Parsed {
  readonly value: RespValue;
  readonly end: number;
}

/** Parses one reply starting at `start`, or returns undefined when the buffer holds only part of it. */
export function parseReply(buffer: Buffer, start: number): Parsed | undefined {
  const lineEnd = buffer.indexOf('\r\n', start);
  if (lineEnd < 0) return undefined;
  const type = String.fromCharCode(buffer[start] ?? 0);
  const line = buffer.toString('utf8', start + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case '+':
      return { value: line, end: next };
    case '-':
      return { value: new Error(line), end: next };
    case ':':
      return { value: Number(line), end: next };
    case '$': {
      const length = Number(line);
      if (length < 0) return { value: null, end: next };
      if (buffer.length < next + length + 2) return undefined;
      return { value: buffer.toString('utf8', next, next + length), end: next + length + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { value: null, end: next };
      const items: RespValue[] = [];
      let position = next;
      for (let index = 0; index < count; index++) {
        const item = parseReply(buffer, position);
        if (item === undefined) return undefined;
        items.push(item.value);
        position = item.end;
      }
      return { value: items, end: position };
    }
    default:
      throw new Error(`unexpected RESP type byte ${JSON.stringify(type)}`);
  }
}
