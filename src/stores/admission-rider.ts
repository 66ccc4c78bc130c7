// What another store's script runs inside the rate limit's call, one Redis round trip for both: the
// duplicate-risk layer's count-and-read of the customer (src/risk, RECORD_COUNTERS_LUA), run by
// src/rate-limit only for a request within the limit. Here, below both, so that neither imports
// the other: the app hands the rider's Lua to the rate limit (create-app.ts).

/**
 * One count-and-read as the rider's Lua takes it (`recordCounters(KEYS[2], KEYS[3], KEYS[4], ARGV…)`):
 * its keys (arrivals, counters, the counters as older versions kept them; the rate limit key's hash
 * tag, store-keys.ts) and its arguments.
 */
export interface RecordCall {
  keys: [string, string, string];
  args: (string | number)[];
}

/**
 * A count-and-read's answer (read with countersFromReply, src/risk): the three window counts, then
 * the counters as one string of little-endian doubles, read as bytes (the Buffer variant of the
 * command: as a JavaScript string they would not survive UTF-8).
 */
export type CountersReply = (number | Buffer)[];

/**
 * A count-and-read the rate limit's call ran (OrderAdmission): its answer, or null when that call
 * failed or was late (it may have counted: the attempt must not be counted again); how long it took.
 */
export interface CountedAtAdmission {
  reply: CountersReply | null;
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
