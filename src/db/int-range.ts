/** The largest value of PostgreSQL's `integer` (int4): prices, stock and deltas are stored as one. */
export const MAX_INT4 = 2_147_483_647;

/** Whether a number is a whole one from `min` to MAX_INT4: one PostgreSQL's `integer` holds, as GraphQL's `Int` does. */
export function isWholeNumberFrom(value: number, min: number): boolean {
  return Number.isInteger(value) && value >= min && value <= MAX_INT4;
}
