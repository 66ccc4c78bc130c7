import type { RedisConnection } from '../redis/redis-connection';
import type { CountersReply, RecordCall } from '../stores/admission-rider';
import { assertConnected } from '../stores/redis-scripts';
import type { RateLimitVerdict } from './rate-limit-verdict';

// The rate limit's count, and, only when the request is within the limit, the duplicate-risk count-
// and-read of its customer, in one call: a scored create then makes one Redis round trip fewer.
//   KEYS[1]       the rate limit's key (orderRateLimitKey); KEYS[2…4] the customer's risk keys
//                 (RedisRiskFeatureStore.keysFor): one hash tag, so one Cluster slot
//   ARGV[1] points to consume, ARGV[2] the window (s), ARGV[3] the limit; ARGV[4…] the risk call's
// The count is rate-limiter-flexible's (RateLimiterRedis's script: same key, same arithmetic), so
// the limiter and this script count the same window; the risk part is the feature store's own
// function (RECORD_COUNTERS_LUA, handed over by the app: admission-rider.ts), not a copy. Answers
// {consumed, ttl ms[, counters]}.
const consumeAndRecord = (riderLua: string) => `${riderLua}
redis.call('set', KEYS[1], 0, 'EX', ARGV[2], 'NX')
local consumed = redis.call('incrby', KEYS[1], ARGV[1])
local ttl = redis.call('pttl', KEYS[1])
if ttl == -1 then
  redis.call('expire', KEYS[1], ARGV[2])
  ttl = 1000 * ARGV[2]
end
if consumed > tonumber(ARGV[3]) then return {consumed, ttl} end
return {consumed, ttl, recordCounters(KEYS[2], KEYS[3], KEYS[4], {unpack(ARGV, 4)})}`;

const COMMAND = 'consumeOrderAndRecordRisk';
const BUFFER_COMMAND = `${COMMAND}Buffer` as const;

type ScriptedConnection = RedisConnection & {
  /** The Buffer variant ioredis defines with the command: the risk answer's counters are bytes. */
  [BUFFER_COMMAND](
    limitKey: string,
    arrivalsKey: string,
    countersKey: string,
    legacyCountersKey: string,
    ...args: (string | number)[]
  ): Promise<[number, number, CountersReply?]>;
};

/** The verdict of the rate limit, and the risk counters' reply when the request was admitted. */
export interface ConsumedWithRisk {
  verdict: RateLimitVerdict;
  /** RECORD_COUNTERS_LUA's answer (read with countersFromReply); null when the request was refused. */
  riskReply: CountersReply | null;
}

/** The combined call on the rate limit's connection. */
export class RateLimitWithRisk {
  private readonly redis: ScriptedConnection;

  constructor(
    redis: RedisConnection,
    private readonly points: number,
    private readonly windowSeconds: number,
    /** Defines `recordCounters(arrivalsKey, countersKey, legacyCountersKey, ARGV)`: RECORD_COUNTERS_LUA. */
    riderLua: string,
  ) {
    redis.defineCommand(COMMAND, { numberOfKeys: 4, lua: consumeAndRecord(riderLua) });
    this.redis = redis as ScriptedConnection;
  }

  /** Counts one request under `limitKey` and, if it is within the limit, runs `risk`. Rejects when Redis fails. */
  async consume(limitKey: string, risk: RecordCall): Promise<ConsumedWithRisk> {
    // As RateLimiterRedis's rejectIfRedisNotReady: fail at once while the connection is down.
    assertConnected(this.redis);
    const [consumed, ttl, reply] = await this.redis[BUFFER_COMMAND](
      limitKey,
      risk.keys[0],
      risk.keys[1],
      risk.keys[2],
      1,
      this.windowSeconds,
      this.points,
      ...risk.args,
    );
    if (consumed > this.points) return { verdict: { allowed: false, retryAfterMs: Math.max(1, ttl) }, riskReply: null };
    return { verdict: { allowed: true, remaining: this.points - consumed }, riskReply: reply ?? null };
  }
}
