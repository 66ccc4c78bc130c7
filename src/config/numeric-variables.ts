import { z } from 'zod';

/** What a whole-number variable counts, said in its refusal (its name ends in `_MS` or `_BYTES`). */
export type NumericUnit = 'milliseconds' | 'bytes';

/**
 * The text of a number as an operator writes it, in decimal digits: JavaScript's `Number()` also
 * reads `1e3`, `0x10`, `0b11` and `+50`, which were used as numbers nobody wrote. Spaces and line
 * breaks around it are not part of it (a YAML block scalar or a `.env` line ends with them).
 */
const DECIMAL_DIGITS = /^\d+$/;
const DECIMAL_FRACTION = /^(\d+(\.\d*)?|\.\d+)$/;

/** `text`, trimmed, when it matches `notation`; otherwise NaN, which the schema then refuses. */
function numberWritten(notation: RegExp) {
  return (text: unknown) => {
    if (typeof text !== 'string') return text;
    const trimmed = text.trim();
    return notation.test(trimmed) ? trimmed : Number.NaN;
  };
}

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
  return z.preprocess(numberWritten(DECIMAL_DIGITS), max === undefined ? atLeast : atLeast.max(max, { error }));
}

/** A number from `min` to `max` (inclusive), fractions allowed (`0.25`), refused as wholeNumber refuses. */
export function numberBetween(min: number, max: number) {
  const error = `expected a number from ${min} to ${max}`;
  return z.preprocess(
    numberWritten(DECIMAL_FRACTION),
    z.coerce.number({ error }).min(min, { error }).max(max, { error }),
  );
}

/** A duration in milliseconds of at least 1, the most common setting. */
export const positiveMs = wholeNumber({ min: 1, unit: 'milliseconds' });
