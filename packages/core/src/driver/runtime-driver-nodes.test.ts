import { describe, expect, it } from 'vitest';
import type { AllMetrics } from '../config/all-metrics.js';
import type { Driver, DriverNode, RedisArgument, RedisReply } from '../driver.js';
import { ClosedError, RedisCommandError } from '../errors/errors.js';
import { CommandTimeoutError } from '../errors/resilience-errors.js';
import { RedisHealth } from '../health/redis-health.js';
import { silentLogger } from '../logger.js';
import { NoopMetrics } from '../metrics.js';
import { RuntimeDriver } from './runtime-driver.js';

/** A node double: records what it is sent and answers with `answer`. */
function node(
  answer: (commands: ReadonlyArray<readonly RedisArgument[]>) => Promise<Array<RedisReply | Error>>,
): {
  node: DriverNode;
  sent: Array<ReadonlyArray<readonly RedisArgument[]>>;
} {
  const sent: Array<ReadonlyArray<readonly RedisArgument[]>> = [];
  return {
    sent,
    node: {
      address: '10.0.0.7:7001',
      send: (commands) => {
        sent.push(commands);
        return answer(commands);
      },
    },
  };
}

function driverWith(nodes?: readonly DriverNode[]): Driver {
  return {
    client: undefined,
    send: async (commands) => commands.map(() => 'OK'),
    onInvalidate: () => () => {},
    slotOf: () => 0,
    close: async () => {},
    ...(nodes === undefined ? {} : { nodes: () => nodes }),
  };
}

describe('RuntimeDriver: nodes and sendTo', () => {
  it("lists the driver's nodes, or undefined when it has none", () => {
    const one = node(async () => []);
    expect(new RuntimeDriver(driverWith([one.node]), new NoopMetrics()).nodes()).toEqual([one.node]);
    expect(new RuntimeDriver(driverWith(), new NoopMetrics()).nodes()).toBeUndefined();
  });

  it("sends the commands' arguments to the node alone and returns its replies in order", async () => {
    const target = node(async (commands) => commands.map((args) => `ran ${String(args[0])}`));
    const runtime = new RuntimeDriver(driverWith([target.node]), new NoopMetrics());
    const replies = await runtime.sendTo('clear', target.node, [
      { key: 'users:', args: ['SCAN', '0'] },
      { key: 'users:', args: ['PING'] },
    ]);
    expect(replies).toEqual(['ran SCAN', 'ran PING']);
    expect(target.sent).toEqual([[['SCAN', '0'], ['PING']]]);
  });

  it('names the node and the work when a send to it fails, and counts the error', async () => {
    const target = node(async () => {
      throw new Error('socket closed');
    });
    const errors: string[] = [];
    const metrics = new (class extends NoopMetrics {
      override redisError(op: string): void {
        errors.push(op);
      }
    })();
    const runtime = new RuntimeDriver(driverWith([target.node]), metrics);
    const error = await runtime
      .sendTo('clear', target.node, [{ key: 'users:', args: ['SCAN', '0'] }])
      .catch((e) => e);
    expect(error).toBeInstanceOf(RedisCommandError);
    expect((error as RedisCommandError).server).toBe('10.0.0.7:7001');
    expect((error as Error).message).toContain('clear key "users:"');
    expect(errors).toEqual(['clear']);
  });

  it('bounds a send to a node by commandTimeoutMs, naming the node', async () => {
    const target = node(() => new Promise(() => {}));
    const health = new RedisHealth({
      breaker: { timeouts: 3, probeIntervalMs: 1_000 },
      logger: silentLogger,
      metrics: new NoopMetrics() as unknown as AllMetrics,
      flush: () => {},
      ping: () => new Promise(() => {}),
      checkTimeoutMs: 1_000,
    });
    const runtime = new RuntimeDriver(driverWith([target.node]), new NoopMetrics(), {
      commandTimeoutMs: 20,
      health,
    });
    const error = await runtime
      .sendTo('clear', target.node, [{ key: 'users:', args: ['SCAN', '0'] }])
      .catch((e) => e);
    health.close();
    expect(error).toBeInstanceOf(CommandTimeoutError);
    expect((error as Error).message).toContain('10.0.0.7:7001');
  });

  it('rejects with ClosedError once closed, sending nothing', async () => {
    const target = node(async () => []);
    const runtime = new RuntimeDriver(driverWith([target.node]), new NoopMetrics());
    await runtime.close();
    await expect(
      runtime.sendTo('clear', target.node, [{ key: 'users:', args: ['SCAN', '0'] }]),
    ).rejects.toThrow(ClosedError);
    expect(target.sent).toEqual([]);
  });
});
