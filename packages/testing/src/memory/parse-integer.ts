import type { RedisArgument } from '@redcache/core';
import { toText } from './bytes.js';
import { notAnInteger } from './redis-error.js';

const INTEGER = /^-?(0|[1-9][0-9]*)$/;

/** Parses an integer argument the way Redis does (no sign '+', no spaces, no fraction), or throws its error. */
export function parseInteger(arg: RedisArgument | undefined): number {
  const text = arg === undefined ? '' : toText(arg);
  const value = Number(text);
  if (!INTEGER.test(text) || !Number.isSafeInteger(value)) throw notAnInteger();
  return value;
}
