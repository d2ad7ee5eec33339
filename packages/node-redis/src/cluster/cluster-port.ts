import type { EventEmitter } from 'node:events';
import type { RedisArgument } from '@redis/client';
import type { ClientPort } from '../client/client-port.js';

/** A node of the cluster as node-redis lists it: its client, once one was created. */
export interface ClusterNodePort {
  readonly client?: ClientPort | undefined;
  /** `host:port`. */
  readonly address?: string | undefined;
}

/** The options of a node-redis cluster that decide whether it can report invalidations. */
export interface ClusterPortOptions {
  readonly RESP?: 2 | 3 | undefined;
  /** The options of every node client. */
  readonly defaults?: { readonly emitInvalidate?: boolean | undefined } | undefined;
}

/**
 * The part of a node-redis cluster (`RedisClusterType`) the driver uses, free of its generic
 * parameters. node-redis creates one client per node it talks to (and new ones when the
 * topology changes); `masters` and `replicas` list them.
 */
export interface ClusterPort extends Pick<EventEmitter, 'on' | 'off'> {
  /** The options the cluster was created with (a public, if underscored, field of node-redis). */
  readonly _options?: ClusterPortOptions | undefined;
  /** Present when the cluster was created with a `clientSideCache`: one cache for all nodes. */
  readonly clientSideCache?: Pick<EventEmitter, 'on' | 'off'> | undefined;
  /** Each slot's shard as node-redis knows it now (`address`: `host:port`). */
  readonly slots?: ReadonlyArray<{ readonly master?: { readonly address?: string } } | undefined>;
  readonly masters: readonly ClusterNodePort[];
  readonly replicas: readonly ClusterNodePort[];
  readonly isOpen: boolean;
  readonly isReady: boolean;
  /** The connected client of the node that owns the key's slot (its master unless `isReadonly`). */
  getNodeClientForKey(key: string, isReadonly?: boolean): Promise<ClientPort>;
  /** The connected client of a node of `masters` or `replicas` (node-redis connects it on first use). */
  nodeClient?(node: ClusterNodePort): Promise<ClientPort>;
  /** Sends by key, following MOVED and ASK redirects. */
  sendCommand(
    firstKey: string | undefined,
    isReadonly: boolean | undefined,
    args: readonly RedisArgument[],
    options?: { typeMapping?: object },
  ): Promise<unknown>;
  close(): Promise<void>;
  destroy(): void;
}

/** True for a node-redis cluster (`createCluster`), false for a single client. */
export function isClusterPort(client: unknown): boolean {
  if (typeof client !== 'object' || client === null) return false;
  const candidate = client as Partial<Record<'getNodeClientForKey' | 'masters', unknown>>;
  return typeof candidate.getNodeClientForKey === 'function' && Array.isArray(candidate.masters);
}
