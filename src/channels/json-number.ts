import { z } from 'zod';

/**
 * A JSON number as JSON.parse reads it: one past the double range (`1e400`) comes as Infinity,
 * which zod's number refuses as no number at all ("must be a number"). It is a number, only too
 * large: it is read as the largest double of its sign, so the field's own rule refuses it in its
 * own words, as it refuses 2^31 and 1e308. Nothing larger than a double can be accepted anyway.
 */
export function jsonNumber<T extends z.ZodType<number>>(schema: T) {
  return z.preprocess(
    (value) => (value === Infinity || value === -Infinity ? Math.sign(value) * Number.MAX_VALUE : value),
    schema,
  );
}
