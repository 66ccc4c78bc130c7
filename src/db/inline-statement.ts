import type { Prisma } from './prisma';

/**
 * A statement's text with its values written in as SQL literals, for the one place that must send
 * it in PostgreSQL's simple-query protocol: behind `BEGIN` in the same message (transactions.ts),
 * one round trip where BEGIN and the statement took two. Parameters cannot go there, so each value
 * becomes a quoted literal of unknown type, which PostgreSQL types from its context exactly as it
 * types an untyped parameter. `quote` is the driver's own escaping (pg's `escapeLiteral`).
 *
 * Only plain values are written in: strings, finite numbers, bigints, booleans, null. Anything else
 * (a Date, whose text depends on the driver's time zone handling; a Buffer; an array or object), a
 * non-finite number, or a string holding a NUL byte (the protocol's end of string) answers null,
 * and the caller sends the statement with parameters as before.
 */
export function inlineStatement(statement: Prisma.Sql, quote: (text: string) => string): string | null {
  const { strings, values } = statement;
  let text = strings[0];
  for (let index = 0; index < values.length; index++) {
    const literal = literalOf(values[index], quote);
    if (literal === null) return null;
    text += literal + strings[index + 1];
  }
  return text;
}

function literalOf(value: unknown, quote: (text: string) => string): string | null {
  if (value === null || value === undefined) return 'NULL';
  switch (typeof value) {
    case 'string':
      return value.includes('\0') ? null : quote(value);
    case 'number':
      return Number.isFinite(value) ? quote(String(value)) : null;
    case 'bigint':
      return quote(String(value));
    case 'boolean':
      return quote(String(value));
    default:
      return null;
  }
}
