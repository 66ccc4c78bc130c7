import type { RedisConnection } from '../redis/redis-connection';
import type {
  AttemptCountedAtAdmission,
  CountedAtAdmission,
  CountersReply,
  RecordCall,
} from '../stores/admission-rider';
import {
  ARRIVAL_WINDOW_MS,
  DEFAULT_RISK_FEATURE_STORE_OPTIONS,
  RISK_COUNTER_NAMES,
  VELOCITY_WINDOWS_MS,
  zeroCounts,
} from './risk-counters';
import type { RiskFeatureStoreOptions, SubjectCounters, SubjectUpdate } from './risk-counters';

/**
 * Per-subject counters for duplicate-risk features. `record` applies one update and answers the
 * subject's counters as they were just before it, so the caller scores an order on what was known
 * when it arrived, and the velocity of N concurrent arrivals reads 0 … N-1, never the same twice.
 */
export interface RiskFeatureStore {
  /** @param now the event's time, epoch milliseconds (the caller's clock; replays pass history's). */
  record(subject: string, update: SubjectUpdate, now: number): Promise<SubjectCounters>;
  /** `record` for a caller that does not read the counters: no answer is built, sent or parsed. */
  add(subject: string, update: SubjectUpdate, now: number): Promise<void>;
  /**
   * `record` as a script call another script can run with its own work (RECORD_COUNTERS_LUA, its
   * answer read with countersFromReply); only a store in Redis has it.
   */
  recordCall?(subject: string, update: SubjectUpdate, now: number): RecordCall;
}

/** The two subjects of a new-key order attempt, updated at once. */
export interface OrderAttemptSubjects {
  customer: string;
  source: string;
}

/**
 * Counts a new-key order attempt for its customer and its source and answers both subjects'
 * counters from before it. The two calls go out together: the latency of one round trip.
 */
export async function recordOrderAttempt(
  store: RiskFeatureStore,
  subjects: OrderAttemptSubjects,
  arrivalId: string,
  now: number,
): Promise<{ customer: SubjectCounters; source: SubjectCounters }> {
  const update: SubjectUpdate = { arrivalId, counts: { requests: 1, orders: 1 } };
  const [customer, source] = await Promise.all([
    store.record(subjects.customer, update, now),
    store.record(subjects.source, update, now),
  ]);
  return { customer, source };
}

// One atomic call per subject, on keys that share a hash tag (one Cluster slot):
//   KEYS[1] arrivals: sorted set, member = arrival id, score = time; trimmed to the last hour and
//           to ARGV[3] members, expires an hour after the last arrival
//   KEYS[2] counters: one string of little-endian doubles (struct.pack '<d…'): the time they were
//           last decayed to, then each counter's recent and history value, in RISK_COUNTER_NAMES
//           order; expires after ARGV[4] ms without updates
//           (a string of another length, written with another list of counters, is read as
//           none: positions are not names)
//   KEYS[3] the counters as versions before 2026-12-05 kept them (a hash: "at", "r:<name>",
//           "h:<name>"), read only while KEYS[2] does not exist, so that an upgrade keeps them;
//           never written (it expires on its own within ARGV[4] ms)
//   ARGV[7]  '1': answer the counters; '0' (an update nobody reads back): answer 0, and without an
//           arrival leave the sorted set alone
//   ARGV[8]  an arrival id to remove from the sorted set (an attempt withdrawn), or ''
//   ARGV[9…] the increments, in RISK_COUNTER_NAMES order (negative for a withdrawn attempt)
// Answers the three window counts, then the recent and the history counters as one string of
// little-endian doubles (countersFromReply), all from before this update. Binary both ways, for
// speed: a GET and a SET replace a 13-field HMGET, a 25-argument HSET and a PEXPIRE, and no
// counter is printed with string.format('%.17g') (exact too, but slow) to come back as text: 39 %
// less of Redis's time per count-and-read, 54 % per update (`npm run risk:bench -- --redis …`,
// docs/risk.md). The counter names and the windows are written into the script (it runs on every
// create: no JSON to decode, no field names to build).
const luaList = (values: readonly (string | number)[]) =>
  `{${values.map((value) => (typeof value === 'string' ? `'${value}'` : String(value))).join(', ')}}`;
const COUNTERS = RISK_COUNTER_NAMES.length;
/** The stored counters: the time, then a recent and a history value per counter (doubles). */
const STORED_VALUES = 1 + 2 * COUNTERS;
/** The answered counters: the recent values, then the history values (doubles). */
const ANSWERED_VALUES = 2 * COUNTERS;
/** struct's formats of both: little-endian doubles. */
const STORED_FORMAT = `<${'d'.repeat(STORED_VALUES)}`;
const ANSWERED_FORMAT = `<${'d'.repeat(ANSWERED_VALUES)}`;
// Written as a Lua function of its keys and its arguments, so that another script can run it
// after its own work in the same call (the rate limit's: rate-limit-with-risk.ts, handed this text by
// create-app.ts): one copy of it.
export const RECORD_COUNTERS_LUA = `
local function recordCounters(arrivalsKey, countersKey, legacyCountersKey, ARGV)
local now = tonumber(ARGV[1])
local arrivalId = ARGV[2]
local maxArrivals = tonumber(ARGV[3])
local countersTtl = tonumber(ARGV[4])
local recentHalfLife = tonumber(ARGV[5])
local historyHalfLife = tonumber(ARGV[6])
local windows = ${luaList(VELOCITY_WINDOWS_MS)}
local arrivalWindow = ${ARRIVAL_WINDOW_MS}
local counters = ${COUNTERS}
local answered = ARGV[7] == '1'
local withdrawnId = ARGV[8]

local answer = {}
if answered or arrivalId ~= '' then
  redis.call('ZREMRANGEBYSCORE', arrivalsKey, '-inf', '(' .. (now - arrivalWindow))
end
if answered then
  for i = 1, #windows do
    answer[i] = redis.call('ZCOUNT', arrivalsKey, '(' .. (now - windows[i]), '+inf')
  end
end
if arrivalId ~= '' then
  redis.call('ZADD', arrivalsKey, now, arrivalId)
  local size = redis.call('ZCARD', arrivalsKey)
  if size > maxArrivals then redis.call('ZREMRANGEBYRANK', arrivalsKey, 0, size - maxArrivals - 1) end
  redis.call('PEXPIRE', arrivalsKey, arrivalWindow)
end
if withdrawnId ~= '' then redis.call('ZREM', arrivalsKey, withdrawnId) end

local stored
local packed = redis.call('GET', countersKey)
-- Of another length: written with another list of counters (RISK_COUNTER_NAMES), read as none.
if packed and #packed == ${8 * STORED_VALUES} then
  stored = {struct.unpack('${STORED_FORMAT}', packed)}
else
  local legacy = redis.call('HMGET', legacyCountersKey, 'at', ${RISK_COUNTER_NAMES.map((name) => `'r:${name}', 'h:${name}'`).join(', ')})
  stored = {tonumber(legacy[1]) or now}
  for i = 2, 2 * counters + 1 do stored[i] = tonumber(legacy[i]) or 0 end
end
local at = stored[1]
local elapsed = now - at
local recentFactor, historyFactor = 1, 1
if elapsed > 0 then
  recentFactor = 2 ^ (-elapsed / recentHalfLife)
  historyFactor = 2 ^ (-elapsed / historyHalfLife)
end
local before = {}
local after = {math.max(at, now)}
for i = 1, counters do
  local r = stored[2 * i] * recentFactor
  local h = stored[2 * i + 1] * historyFactor
  local add = tonumber(ARGV[8 + i])
  before[i] = r
  before[counters + i] = h
  after[2 * i] = r + add
  after[2 * i + 1] = h + add
end
redis.call('SET', countersKey, struct.pack('${STORED_FORMAT}', unpack(after)), 'PX', countersTtl)
if answered then
  answer[#windows + 1] = struct.pack('${ANSWERED_FORMAT}', unpack(before))
  return answer
end
return 0
end`;
const RECORD = `${RECORD_COUNTERS_LUA}
return recordCounters(KEYS[1], KEYS[2], KEYS[3], ARGV)`;

/** The script's command on the connection. */
const RECORD_COMMAND = 'recordRiskCounters';

type ScriptedConnection = RedisConnection & {
  /** The Buffer variant ioredis defines with the command: the answer's counters are bytes. */
  recordRiskCountersBuffer(
    arrivalsKey: string,
    countersKey: string,
    legacyCountersKey: string,
    ...args: (string | number)[]
  ): Promise<CountersReply | number>;
};

/**
 * The feature store in Redis (standalone or Cluster): one Lua call per subject and update, two
 * small keys per subject under one hash tag (and a third read once after an upgrade), both with a TTL, so memory is bounded by the active
 * subjects (at most `maxArrivals` members and 104 bytes of counters each).
 */
export class RedisRiskFeatureStore implements RiskFeatureStore {
  private readonly redis: ScriptedConnection;
  private readonly options: RiskFeatureStoreOptions;

  constructor(
    redis: RedisConnection,
    /** Key prefix, e.g. `og:risk`. */
    private readonly prefix: string,
    options: Partial<RiskFeatureStoreOptions> = {},
  ) {
    this.options = { ...DEFAULT_RISK_FEATURE_STORE_OPTIONS, ...options };
    redis.defineCommand(RECORD_COMMAND, { numberOfKeys: 3, lua: RECORD });
    sentWhenCalled(redis, RECORD_COMMAND);
    this.redis = redis as ScriptedConnection;
  }

  /**
   * The subject's keys: its arrivals, its counters, and its counters as versions before 2026-12-05
   * kept them (a hash, read while the counters do not exist: RECORD_COUNTERS_LUA). `{…}` is a
   * Redis Cluster hash tag, so all land in one slot; URI-encoding keeps `{` and `}` of a subject
   * out of the tag.
   */
  keysFor(subject: string): { arrivals: string; counters: string; legacyCounters: string } {
    const tagged = `${this.prefix}:{${encodeURIComponent(subject)}}`;
    return { arrivals: `${tagged}:a`, counters: `${tagged}:c`, legacyCounters: `${tagged}:n` };
  }

  async record(subject: string, update: SubjectUpdate, now: number): Promise<SubjectCounters> {
    return countersFromReply((await this.call(subject, update, now, true)) as CountersReply);
  }

  async add(subject: string, update: SubjectUpdate, now: number): Promise<void> {
    await this.call(subject, update, now, false);
  }

  /**
   * The keys and arguments of a count-and-read of `subject` (RECORD_COUNTERS_LUA's), for a script
   * that runs it with its own work in one call (the rate limit's: RateLimiter.consumeAndRecord);
   * its answer is read with countersFromReply.
   */
  recordCall(subject: string, update: SubjectUpdate, now: number): RecordCall {
    return this.callOf(subject, update, now, true);
  }

  private call(subject: string, update: SubjectUpdate, now: number, answered: boolean) {
    const { keys, args } = this.callOf(subject, update, now, answered);
    return this.redis.recordRiskCountersBuffer(keys[0], keys[1], keys[2], ...args);
  }

  private callOf(subject: string, update: SubjectUpdate, now: number, answered: boolean): RecordCall {
    const keys = this.keysFor(subject);
    const increments = RISK_COUNTER_NAMES.map((name) => update.counts?.[name] ?? 0);
    return {
      keys: [keys.arrivals, keys.counters, keys.legacyCounters],
      args: [
        now,
        update.arrivalId ?? '',
        this.options.maxArrivals,
        this.options.countersTtlMs,
        this.options.recentHalfLifeMs,
        this.options.historyHalfLifeMs,
        answered ? '1' : '0',
        update.withdrawnArrivalId ?? '',
        ...increments,
      ],
    };
  }
}

/**
 * Sends `command` as it is called rather than through the connection's auto-pipeline. The store's
 * calls on the request path go out alone, each on a turn of the event loop of its own
 * (DuplicateRiskScoring's nextTurn), where a pipeline has nothing to batch them with; its
 * bookkeeping (a Pipeline per call, its promise and its result array) cost 28 µs of CPU per call on
 * top of 32 µs (a count-and-read, one caller, `enableAutoPipelining` on and off), and a call no
 * longer waits behind another user's pipeline still in flight. A new list: ioredis's default one
 * is shared by every connection of the process.
 */
function sentWhenCalled(redis: RedisConnection, command: string): void {
  const options = redis.options as { autoPipeliningIgnoredCommands?: string[] };
  const ignored = options.autoPipeliningIgnoredCommands ?? [];
  if (!ignored.includes(command)) options.autoPipeliningIgnoredCommands = [...ignored, command];
}

/**
 * The script's answer as counters: the window counts, then the recent and history values as
 * little-endian doubles (a loop rather than maps of entries, since it runs on every create). A
 * part missing or of another kind reads NaN, which the scorer refuses (missing-feature).
 */
export function countersFromReply(reply: CountersReply): SubjectCounters {
  const windows = VELOCITY_WINDOWS_MS.length;
  const packed = reply[windows];
  const values = Buffer.isBuffer(packed) && packed.length === 8 * ANSWERED_VALUES ? packed : null;
  const recent = zeroCounts();
  const history = zeroCounts();
  for (let i = 0; i < COUNTERS; i++) {
    const name = RISK_COUNTER_NAMES[i];
    recent[name] = values ? values.readDoubleLE(8 * i) : NaN;
    history[name] = values ? values.readDoubleLE(8 * (COUNTERS + i)) : NaN;
  }
  return {
    arrivals: { last1m: Number(reply[0]), last10m: Number(reply[1]), last60m: Number(reply[2]) },
    recent,
    history,
  };
}

export type { AttemptCountedAtAdmission, CountedAtAdmission, CountersReply, RecordCall };
