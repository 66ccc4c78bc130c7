// What another store's script runs inside the rate limit's call, one Redis round trip for both: the
// duplicate-risk layer's count-and-read of the customer (src/risk, RECORD_COUNTERS_LUA), run by
// src/rate-limit only for a request within the limit. Here, below both, so that neither imports
// the other: the app hands the rider's Lua to the rate limit (create-app.ts).

/**
 * One count-and-read as the rider's Lua takes it (`recordCounters(KEYS[2], KEYS[3], ARGV…)`): its two
 * keys (arrivals, counters; the rate limit key's hash tag, store-keys.ts) and its arguments.
 */
export interface RecordCall {
  keys: [string, string];
  args: (string | number)[];
}

/**
 * A count-and-read the rate limit's call ran (OrderAdmission): its answer, or null when that call
 * failed or was late (it may have counted: the attempt must not be counted again); how long it took.
 */
export interface CountedAtAdmission {
  reply: (number | string)[] | null;
  tookMs: number;
  /**
   * Whether the count ran, once its call answered, however late: true when it answered with the
   * count (within the limit), false when it failed or was refused. A call past its budget has no
   * `reply` yet may have counted; taking the attempt back waits for this (RiskAssessment.withdraw).
   */
  counted: Promise<boolean>;
}

/**
 * The count-and-read of one attempt the rate limit's call ran, and the arrival id it added: the
 * attempt's own, never shared with another attempt of its request, so that taking the attempt
 * back removes its arrival alone.
 */
export interface AttemptCountedAtAdmission extends CountedAtAdmission {
  arrivalId: string;
}
