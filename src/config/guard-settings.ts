import { z } from 'zod';
import { ConfigError } from './config-error';
import { positiveMs, wholeNumber } from './numeric-variables';
import type { ServerEnvironment } from './server-settings';

const DEVELOPMENT_JWT_SECRET = 'order-gate-development-secret-change-me';
/** The refusal of a secret too short to be one, with a way to make one. */
const SECRET_LENGTH = 'expected at least 16 characters (`openssl rand -hex 32` makes one)';

/** What the guard in front of createOrder reads: bearer tokens, claims, order tokens, the catalog cache. */
export const guardEnvironment = {
  JWT_SECRET: z
    .string()
    .min(16, SECRET_LENGTH)
    .optional()
    .describe('HS256 secret of bearer tokens. Required in production; a fixed development secret otherwise.'),
  IDEMPOTENCY_LEASE_MS: positiveMs
    .default(30_000)
    .describe('How long a claim holds its key if its request never finishes (ms). Must outlive the slowest request.'),
  IDEMPOTENCY_RETENTION_MS: positiveMs
    .default(24 * 60 * 60 * 1000)
    .describe(
      'How long a completed key (with its stored answer) answers from Redis (ms); the database remembers keys for good.',
    ),
  IDEMPOTENCY_RETRY_AFTER_MS: positiveMs
    .default(500)
    .describe('Retry hint of RequestInProgress (ms), capped by the lease left.'),
  IDEMPOTENCY_REPEAT_WAIT_MS: wholeNumber({ min: 0, max: 10_000, unit: 'milliseconds' })
    .default(500)
    .describe(
      "How long a repeat may wait for its key's first request when that one runs in the same process (ms): it then gets the first answer (DuplicateDetected) as soon as it exists instead of RequestInProgress. By default as long as the retry hint a client would otherwise wait before coming back. 0: never waits.",
    ),
  ORDER_TOKEN_TTL_MS: positiveMs.default(10 * 60 * 1000).describe('Lifetime of an issued order token (ms).'),
  ORDER_TOKEN_SECRET: z
    .string()
    .min(16, SECRET_LENGTH)
    .optional()
    .describe('HMAC secret of order tokens. Default: derived from JWT_SECRET.'),
  CATALOG_CACHE_TTL_MS: wholeNumber({ min: 0, unit: 'milliseconds' })
    .default(1_000)
    .describe(
      'How long a product shown on order items may come from the process memory (ms), and so how long a createOrder repeat may be answered with its stored response (its claim checked each time): a product on a replayed response may be up to twice this old (read from the cache near the end of its time, then replayed for one more); 0 reads the database every time. Orders are always priced from locked rows.',
    ),
};

type GuardEnvironment = z.infer<z.ZodObject<typeof guardEnvironment>>;

/** JWT_SECRET, required in production; a fixed development secret otherwise. */
export function jwtSecretOf(e: Pick<ServerEnvironment, 'NODE_ENV'> & Pick<GuardEnvironment, 'JWT_SECRET'>): string {
  if (e.NODE_ENV === 'production' && !e.JWT_SECRET) {
    throw new ConfigError('Invalid environment:\n  JWT_SECRET: required when NODE_ENV=production');
  }
  return e.JWT_SECRET ?? DEVELOPMENT_JWT_SECRET;
}
