/** The answer of a rate limiter for one request. */
export type RateLimitVerdict =
  | { allowed: true; remaining: number }
  /** `retryAfterMs`: time until the window that turned the request away ends. */
  | { allowed: false; retryAfterMs: number };

/** Counts requests per subject (a customer) in fixed windows. */
export interface RateLimiter {
  /** Counts one request of `subject` and says whether it is within the limit. May reject (store down). */
  consume(subject: string): Promise<RateLimitVerdict>;
}

/** Turns a window's count and time left into a verdict. */
export function verdictOf(count: number, limit: number, windowLeftMs: number): RateLimitVerdict {
  return count <= limit ? { allowed: true, remaining: limit - count } : { allowed: false, retryAfterMs: Math.max(1, windowLeftMs) };
}
