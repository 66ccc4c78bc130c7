import type { RedisConnection } from '../redis/redis-connection';
import { withStoreScripts } from './redis-scripts';
import { orderChangesHeardKey } from './store-keys';

/** Where a region keeps the moment up to which it has heard every order change. */
export interface HeardWatermarkStore {
  /** The moment (ms since the epoch, the database's clock), or null when there is none. */
  read(): Promise<number | null>;
  /** Sets the moment, unless the one kept is later already (another instance heard further). */
  advance(atMs: number): Promise<void>;
}

interface AdvanceCommands {
  advanceHeardWatermark(key: string, atMs: string): Promise<number>;
}

// Forward only: instances of one region advance it each from their own listener, in any order.
const ADVANCE = `
local kept = tonumber(redis.call('GET', KEYS[1]))
if kept ~= nil and kept >= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
return 1`;

/** The watermark in the region's Redis (no expiry: a region that stops for days still catches up). */
export class RedisHeardWatermarkStore implements HeardWatermarkStore {
  private readonly redis: RedisConnection & AdvanceCommands;
  private readonly key: string;

  constructor(redis: RedisConnection, prefix: string) {
    this.redis = withStoreScripts<AdvanceCommands>(redis, { advanceHeardWatermark: { numberOfKeys: 1, lua: ADVANCE } });
    this.key = orderChangesHeardKey(prefix);
  }

  async read(): Promise<number | null> {
    const kept = await this.redis.get(this.key);
    return kept === null ? null : Number(kept);
  }

  async advance(atMs: number): Promise<void> {
    await this.redis.advanceHeardWatermark(this.key, String(atMs));
  }
}
