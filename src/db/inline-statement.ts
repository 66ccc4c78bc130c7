import { prepareValue } from 'pg/lib/utils';
import type { Prisma } from './prisma';

/**
 * A statement's text with its values written in as SQL literals, for what must go in PostgreSQL's
 * simple-query protocol: BEGIN with the first statement, the last statement with COMMIT, one
 * message each (transactions.ts). Parameters cannot go there, so each value becomes a quoted
 * literal of unknown type, which PostgreSQL types from its context exactly as it types an untyped
 * parameter, holding the very text pg would have sent as that parameter (its own prepareValue:
 * Dates, arrays, objects as JSON). `quote` is the driver's escaping (pg's `escapeLiteral`).
 *
 * A value pg would send as bytes (a Buffer), or text holding a NUL byte (the protocol's end of
 * string), answers null: the caller then sends the statement with parameters, as before.
 */
export function inlineStatement(statement: Prisma.Sql, quote: (text: string) => string): string | null {
  const literals = literalsOf(statement.values, quote);
  if (literals === null) return null;
  const { strings } = statement;
  let text = strings[0];
  for (let index = 0; index < literals.length; index++) text += literals[index] + strings[index + 1];
  return text;
}

/** Each value as the SQL literal inlineStatement writes in (prepared-statements.ts sends them to EXECUTE); null as there. */
export function literalsOf(values: readonly unknown[], quote: (text: string) => string): string[] | null {
  const literals: string[] = [];
  for (const value of values) {
    const literal = literalOf(value, quote);
    if (literal === null) return null;
    literals.push(literal);
  }
  return literals;
}

function literalOf(value: unknown, quote: (text: string) => string): string | null {
  const text = prepareValue(value);
  if (text === null) return 'NULL';
  if (typeof text !== 'string' || text.includes('\0')) return null;
  return quote(text);
}
