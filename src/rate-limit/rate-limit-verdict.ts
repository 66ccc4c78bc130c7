/** The answer of a rate limiter for one request. */
export type RateLimitVerdict =
  | { allowed: true; remaining: number }
  /** `retryAfterMs`: time until the window that turned the request away ends. */
  | { allowed: false; retryAfterMs: number };
