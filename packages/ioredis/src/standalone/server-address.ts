import type { Redis } from 'ioredis';

/** `host:port` of a standalone ioredis client (its socket path for a Unix socket), for messages. */
export function serverAddress(client: Redis): string {
  const { host, port, path } = client.options;
  if (typeof path === 'string' && path.length > 0) return path;
  return `${host ?? 'localhost'}:${port ?? 6379}`;
}
