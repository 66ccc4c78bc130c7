/** The largest value of PostgreSQL's `integer` (int4): prices, stock and deltas are stored as one. */
export const MAX_INT4 = 2_147_483_647;
