import { subscribe, unsubscribe } from 'node:diagnostics_channel';

/** The replies of a node that send a command elsewhere, or back later, while a slot moves. */
export type RedirectKind = 'ASK' | 'MOVED' | 'TRYAGAIN';

const KINDS: readonly RedirectKind[] = ['ASK', 'MOVED', 'TRYAGAIN'];

/**
 * What node-redis 6.3 and ioredis 5 put in the context of their command traces
 * (`node-redis:command`, `ioredis:command`), as far as these helpers read it.
 */
export interface CommandTrace {
  readonly command?: unknown;
  /**
   * The arguments: node-redis's with the name first; ioredis's without it. Both hide some
   * values (`?`), but not those of EVAL/EVALSHA, nor the key of SET.
   */
  readonly args?: unknown;
  readonly clientId?: unknown;
  readonly serverPort?: unknown;
  readonly error?: unknown;
}

/** One redirect reply: its kind, the command it answered, and the node that sent it. */
export interface Redirect {
  readonly kind: RedirectKind;
  /** `EVALSHA`, `SET`, … */
  readonly command: string;
  /** The command's arguments, its name first. */
  readonly args: readonly string[];
  readonly port: number;
}

export interface RedirectTally {
  readonly seen: readonly Redirect[];
  /** Redirects of `kind`, of the commands `which` accepts (all, if not given). */
  count(kind: RedirectKind, which?: (redirect: Redirect) => boolean): number;
  stop(): void;
}

/** The part of a node-redis cluster client that names its node clients. */
export interface ClusterNodes {
  readonly masters: ReadonlyArray<{ readonly client?: { readonly _clientId: string } | undefined }>;
  readonly replicas: ReadonlyArray<{ readonly client?: { readonly _clientId: string } | undefined }>;
}

/**
 * Counts the redirect replies a command trace's error channel reports, for the traces
 * `ours` accepts; `argsOf` gives a trace's arguments, name first.
 */
export function tallyTraceErrors(
  channel: string,
  ours: (trace: CommandTrace) => boolean,
  argsOf: (trace: CommandTrace) => string[],
): RedirectTally {
  const seen: Redirect[] = [];
  const onError = (message: unknown): void => {
    const trace = message as CommandTrace;
    if (!(trace.error instanceof Error) || !ours(trace)) return;
    const kind = KINDS.find((name) => (trace.error as Error).message.startsWith(`${name} `));
    if (kind === undefined) return;
    seen.push({ kind, command: String(trace.command), args: argsOf(trace), port: Number(trace.serverPort) });
  };
  subscribe(channel, onError);
  return {
    seen,
    count: (kind, which = () => true) =>
      seen.filter((redirect) => redirect.kind === kind && which(redirect)).length,
    stop: () => unsubscribe(channel, onError),
  };
}

/**
 * Counts the ASK, MOVED and TRYAGAIN replies that the node clients of `cluster` receive, from
 * node-redis's own command trace (`node:diagnostics_channel`): every attempt counts, the
 * driver's first send as well as the redirects node-redis follows for it.
 */
export function tallyRedirects(cluster: ClusterNodes): RedirectTally {
  const ours = ({ clientId }: CommandTrace): boolean =>
    [...cluster.masters, ...cluster.replicas].some((node) => node.client?._clientId === clientId);
  return tallyTraceErrors('tracing:node-redis:command:error', ours, ({ args }) =>
    Array.isArray(args) ? args.map(String) : [],
  );
}
