import { diag } from '@opentelemetry/api';

/**
 * `fn`, made unable to throw: a diagnostics_channel subscriber or store transform that throws
 * is rethrown by Node as an uncaught exception (it would crash the app over a tracing fault),
 * so what it throws is reported to OTel's `diag` logger instead and `fallback` answers.
 *
 * @param fn - a channel handler or `bindStore` transform
 * @param fallback - what answers when `fn` threw
 * @returns `fn`, guarded
 */
export function guarded<E, R>(fn: (event: E) => R, fallback: (event: E) => R): (event: E) => R {
  return (event) => {
    try {
      return fn(event);
    } catch (error) {
      diag.error('@redcache/otel: a tracing handler failed', error);
      return fallback(event);
    }
  };
}
