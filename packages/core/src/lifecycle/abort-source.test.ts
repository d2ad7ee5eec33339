import { describe, expect, it } from 'vitest';
import { LoaderRun } from '../loader/loader-run.js';
import { loaderContext, signalOf } from './abort-source.js';
import { Operation } from './operation.js';

const run = () => new LoaderRun<string>('k', 'k');

describe('loaderContext', () => {
  it("gives a caller's signal as it is", () => {
    const signal = new AbortController().signal;
    expect(loaderContext(signal, run()).signal).toBe(signal);
    expect(signalOf(signal)).toBe(signal);
  });

  it("gives an operation's signal, made when the loader reads it, aborted with the operation", () => {
    const operation = new Operation(undefined, () => {});
    const ctx = loaderContext(operation, run());
    const signal = ctx.signal;
    expect(signal).toBe(operation.signal);
    expect(signal.aborted).toBe(false);
    const reason = new Error('no caller left');
    operation.abort(reason);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe(reason);
  });

  it('a spread context still carries the signal', () => {
    const operation = new Operation(undefined, () => {});
    const spread = { ...loaderContext(operation, run()) };
    expect(spread.signal).toBe(operation.signal);
    expect(typeof spread.setTtl).toBe('function');
    expect(typeof spread.skipStore).toBe('function');
  });

  it('read only after the abort, the signal is already aborted', () => {
    const operation = new Operation(undefined, () => {});
    const ctx = loaderContext(operation, run());
    operation.abort(new Error('closed'));
    expect(ctx.signal.aborted).toBe(true);
    expect(ctx.signal.reason).toBe(operation.reason);
  });
});
