import { z } from 'zod';

/**
 * One of this server's own words (a log level, a flag, a mode) read in any case: `LOG_LEVEL=INFO`
 * and `MIGRATE_ON_START=TRUE` mean what they say, as SEMANTIC_DUPLICATE_POLICY takes `hold`. The
 * schema sees the lower-case text, so its refusal still lists the words it takes.
 */
export function anyCase<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (typeof value === 'string' ? value.toLowerCase() : value), schema);
}

/** `true`/`false`, `1`/`0` or `yes`/`no`, in any case. */
export const booleanFlag = anyCase(
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .transform((value) => value === 'true' || value === '1' || value === 'yes'),
);
