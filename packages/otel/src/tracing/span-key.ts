import { type Context, trace } from '@opentelemetry/api';

/**
 * The key under which an OTel `Context` holds its span. The API keeps it private, but reads it
 * the one documented way, `context.getValue(key)`, in `trace.getSpan`: a probe context asked
 * once tells which key that is.
 */
export const SPAN_KEY: symbol = probeSpanKey();

function probeSpanKey(): symbol {
  let asked: symbol | undefined;
  const probe: Context = {
    getValue(key) {
      asked = key;
      return undefined;
    },
    setValue: () => probe,
    deleteValue: () => probe,
  };
  trace.getSpan(probe);
  if (asked === undefined) throw new Error('@redcache/otel: trace.getSpan read no context key');
  return asked;
}
