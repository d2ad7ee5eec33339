/**
 * When the cluster driver reports null after a redirect, with a fake cluster, so that a
 * topology change can be placed exactly between the driver's first send and its resend (the
 * real-cluster cases are in cluster-driver.test.ts).
 */
import { keySlot, type RedisCommand } from '@redcache/core';
import { describe, expect, it } from 'vitest';
import { type FakeAnswer, fakeCluster, fakeNode } from '../test-support/fake-cluster-port.js';
import { ClusterDriver } from './cluster-driver.js';

const key = '{migrating}:k';
const slot = keySlot(key);
const get: RedisCommand = { key, args: ['GET', key] };

/** A driver whose first send gets `first`; its resend, through the cluster, gets 'value'. */
function driverWith(first: FakeAnswer, ownerAfterResend: 'same' | 'other') {
  const source = fakeNode(() => first);
  const target = fakeNode(() => ({ reply: 'target' }));
  let owner = source;
  const port = fakeCluster(
    () => owner,
    () => {
      // The cluster learns the new owner while it follows the command.
      if (ownerAfterResend === 'other') owner = target;
      return { reply: 'value' };
    },
  );
  const driver = new ClusterDriver(port, port);
  const nulls: null[] = [];
  driver.onInvalidate((changed) => {
    if (changed === null) nulls.push(changed);
  });
  return { driver, nulls };
}

describe('the cluster driver: null after a redirect only when the slot changed owner', () => {
  it('ASK or TRYAGAIN, the slot still on its node: the reply of the resend, no null', async () => {
    for (const error of [
      `ASK ${slot} 127.0.0.1:2`,
      'TRYAGAIN Multiple keys request during rehashing of slot',
    ]) {
      const { driver, nulls } = driverWith({ error }, 'same');
      expect(await driver.send([get])).toEqual(['value']);
      expect(nulls).toEqual([]);
    }
  });

  it('ASK or TRYAGAIN, and the cluster met MOVED while following: null', async () => {
    for (const error of [
      `ASK ${slot} 127.0.0.1:2`,
      'TRYAGAIN Multiple keys request during rehashing of slot',
    ]) {
      const { driver, nulls } = driverWith({ error }, 'other');
      expect(await driver.send([get])).toEqual(['value']);
      expect(nulls).toEqual([null]);
    }
  });

  it('MOVED: null', async () => {
    const { driver, nulls } = driverWith({ error: `MOVED ${slot} 127.0.0.1:2` }, 'other');
    expect(await driver.send([get])).toEqual(['value']);
    expect(nulls).toEqual([null]);
  });

  it('no redirect: the replies as they are, no null', async () => {
    const { driver, nulls } = driverWith({ reply: 'direct' }, 'same');
    expect(await driver.send([get, get])).toEqual(['direct', 'direct']);
    expect(nulls).toEqual([]);
  });
});
