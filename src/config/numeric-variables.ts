import { z } from 'zod';

/** What a whole-number variable counts, said in its refusal (its name ends in `_MS` or `_BYTES`). */
export type NumericUnit = 'milliseconds' | 'bytes';

/**
 * A whole number read from an environment variable, refused with one message that says what it
 * takes: zod's own messages say "received NaN" for `10m`, "expected int, received number" for
 * `1.5` and "Too small: expected number to be >0" for `0`. `min` and `max` are inclusive; the
 * generated docs/configuration.md reads them from the schema ("integer 1–500").
 */
export function wholeNumber(bounds: { min: number; max?: number; unit?: NumericUnit }) {
  const { min, max, unit } = bounds;
  const range = max === undefined ? `of at least ${min}` : `from ${min} to ${max}`;
  const error = `expected a whole number ${range}${unit ? ` (${unit}, digits only)` : ''}`;
  const atLeast = z.coerce.number({ error }).int({ error }).min(min, { error });
  return max === undefined ? atLeast : atLeast.max(max, { error });
}

/** A number from `min` to `max` (inclusive), fractions allowed, refused as wholeNumber refuses. */
export function numberBetween(min: number, max: number) {
  const error = `expected a number from ${min} to ${max}`;
  return z.coerce.number({ error }).min(min, { error }).max(max, { error });
}
