import { GraphQLError } from 'graphql';

/**
 * The instants a DateTime argument may name: years 1 to 9999. The scalar takes RFC 3339 strings,
 * whose years have four digits, so only year 0 gets past it, and PostgreSQL has no year 0 (its
 * year before 1 is 1 BC): Prisma's "0000-01-01" failed the query with 22008 "date/time field value
 * out of range", a masked INTERNAL_SERVER_ERROR. The upper bound keeps a Date built otherwise
 * inside what the scalar itself can write back.
 */
const EARLIEST = Date.parse('0001-01-01T00:00:00.000Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');

/** Whether PostgreSQL can store the instant (years 1 to 9999, see above). */
export function isStorableDate(date: Date): boolean {
  const time = date.getTime();
  return time >= EARLIEST && time <= LATEST;
}

/** Refuses a DateTime argument outside years 1 to 9999 with a typed error (BAD_USER_INPUT naming it), the same for every one. */
export function assertStorableDate(date: Date, argument: string): void {
  if (isStorableDate(date)) return;
  throw new GraphQLError(`\`${argument}\` must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z.`, {
    extensions: { code: 'BAD_USER_INPUT', field: argument },
  });
}
