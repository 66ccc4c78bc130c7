import { z } from 'zod';
import { positiveMs } from './numeric-variables';

/** `<count>/<seconds>`, e.g. `30/10`: at most `count` new orders per customer per window. */
const rateLimit = z
  .string()
  .regex(/^\d{1,9}\/\d{1,7}$/, 'expected `<count>/<seconds>`, e.g. `30/10`')
  .transform((value) => {
    const [count, seconds] = value.split('/').map(Number) as [number, number];
    return { count, windowMs: seconds * 1000 };
  })
  .refine((limit) => limit.count > 0 && limit.windowMs > 0, 'count and seconds must be positive');

/** The per-customer limit on new orders (src/rate-limit). */
export const rateLimitEnvironment = {
  ORDER_RATE_LIMIT: rateLimit
    .prefault('30/10')
    .describe(
      '`<count>/<seconds>`: attempts at new orders per customer per window: each new key that reaches placement counts, refused ones too (unknown SKU, too little stock: each costs a transaction); repeats never count.',
    ),
  ORDER_RATE_LIMIT_TIMEOUT_MS: positiveMs
    .default(250)
    .describe('Budget of one rate-limit call (ms); past it the order is admitted unchecked.'),
};

/** A fixed-window rate limit. */
export interface RateLimitSetting {
  /** Requests allowed per window. */
  count: number;
  /** Window length in ms. */
  windowMs: number;
}
