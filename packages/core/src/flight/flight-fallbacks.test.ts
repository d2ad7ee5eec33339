import { describe, expect, it, vi } from 'vitest';
import { StringCodec } from '../codec/ready-codecs.js';
import type { Codec } from '../codec.js';
import { stateOf } from '../test-support/promise-state.js';
import { type FallbackOffer, type FlightOutcome, FlightRegistry } from './single-flight.js';

const outcome = (value: string, fallback?: FlightOutcome['fallback']): FlightOutcome => ({
  value,
  codec: StringCodec as Codec<unknown>,
  payload: value,
  source: fallback === undefined ? 'loaded' : 'fallback',
  ...(fallback === undefined ? {} : { fallback }),
});

const offering = (value: string) =>
  vi.fn<FallbackOffer>((cause) => outcome(value, cause === 'soft' ? 'timeout' : cause));

function setup() {
  const registry = new FlightRegistry();
  const onRelease = vi.fn<(abandoned: boolean) => void>();
  return { flight: registry.start('k', onRelease), onRelease, registry };
}

describe('Flight fail-safe offers', () => {
  it('a rejection with a cause gives a caller with an offer its fallback, and the others the error', async () => {
    const { flight } = setup();
    const offer = offering('old');
    const withOffer = flight.join(undefined, offer);
    const plain = flight.join(undefined);
    const error = new Error('db down');
    flight.reject(error, 'loader');
    expect(await withOffer).toEqual(outcome('old', 'loader'));
    expect(offer).toHaveBeenCalledWith('loader', error);
    await expect(plain).rejects.toBe(error);
  });

  it('a rejection without a cause (close, abandonment) never asks the offer', async () => {
    const { flight } = setup();
    const offer = offering('old');
    const joined = flight.join(undefined, offer);
    flight.reject(new Error('closed'));
    await expect(joined).rejects.toThrow('closed');
    expect(offer).not.toHaveBeenCalled();
  });

  it('an offer with nothing at hand leaves the error', async () => {
    const { flight } = setup();
    const joined = flight.join(undefined, () => undefined);
    flight.reject(new Error('db down'), 'redis');
    await expect(joined).rejects.toThrow('db down');
  });

  it('the soft timeout hands callers with a fallback their fallback, the others wait; the flight is then never abandoned', async () => {
    const { flight, onRelease, registry } = setup();
    const leaving = new AbortController();
    const soft = flight.join(leaving.signal, offering('old'));
    const waiting = new AbortController();
    const plain = flight.join(waiting.signal);
    flight.softTimeout();
    expect(await soft).toEqual(outcome('old', 'timeout'));
    expect(await stateOf(plain)).toEqual({ state: 'pending' });
    waiting.abort(new Error('gone'));
    await expect(plain).rejects.toThrow('gone');
    expect(onRelease).not.toHaveBeenCalled();
    expect(registry.get('k')).toBe(flight);
    flight.resolve(outcome('new'));
    expect(onRelease.mock.calls).toEqual([[false]]);
  });

  it('a soft timeout that hands out nothing leaves the flight as it was (abandoned when its last caller leaves)', async () => {
    const { flight, onRelease } = setup();
    const caller = new AbortController();
    const joined = flight.join(caller.signal, () => undefined);
    flight.softTimeout();
    caller.abort(new Error('gone'));
    await expect(joined).rejects.toThrow('gone');
    expect(onRelease.mock.calls).toEqual([[true]]);
  });

  it('a caller that left is not asked at the soft timeout; one that took its fallback is not asked again', async () => {
    const { flight } = setup();
    const left = new AbortController();
    const leftOffer = offering('x');
    const gone = flight.join(left.signal, leftOffer);
    left.abort(new Error('left'));
    await expect(gone).rejects.toThrow('left');
    const offer = offering('old');
    const took = flight.join(undefined, offer);
    flight.softTimeout();
    flight.softTimeout();
    expect(await took).toEqual(outcome('old', 'timeout'));
    flight.reject(new Error('late'), 'loader');
    await Promise.resolve();
    expect(leftOffer).not.toHaveBeenCalled();
    expect(offer).toHaveBeenCalledTimes(1);
  });
});

describe('Flight after its soft timeout', () => {
  it('a caller joining later gets its fallback at once; one without a fallback waits for the loader', async () => {
    const { flight } = setup();
    const first = flight.join(undefined, offering('old'));
    flight.softTimeout();
    expect(await first).toEqual(outcome('old', 'timeout'));
    const offer = offering('old');
    const later = flight.join(new AbortController().signal, offer);
    expect(await stateOf(later)).toEqual({ state: 'fulfilled', value: outcome('old', 'timeout') });
    const none = flight.join(undefined, () => undefined);
    expect(await stateOf(none)).toEqual({ state: 'pending' });
    flight.resolve(outcome('new'));
    expect(await none).toEqual(outcome('new'));
  });
});
