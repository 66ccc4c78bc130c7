import { z } from 'zod';

/**
 * One of this server's own words (a log level, a flag, a mode) read in any case: `LOG_LEVEL=INFO`
 * and `MIGRATE_ON_START=TRUE` mean what they say, as SEMANTIC_DUPLICATE_POLICY takes `hold`. The
 * schema sees the lower-case text, so its refusal still lists the words it takes.
 */
function anyCase<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (typeof value === 'string' ? value.toLowerCase() : value), schema);
}

/**
 * One of `words`, in any case, refused in a sentence that lists them (zod said `Invalid option:
 * expected one of "decide"|"shadow"`, quoted and in lower case, though any case is taken).
 */
export function oneWordOf<const Words extends readonly [string, ...string[]]>(words: Words) {
  const listed = `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
  return anyCase(z.enum(words, { error: `expected ${listed}, in any case` }));
}

/** `true`/`false`, `1`/`0` or `yes`/`no`, in any case. */
export const booleanFlag = anyCase(
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false (or 1/0, yes/no), in any case' })
    .transform((value) => value === 'true' || value === '1' || value === 'yes'),
);
