import type { RedisConnection } from '../redis/redis-connection';
import { withStoreScripts } from '../stores/redis-scripts';
import type { CompareAndSetCommands } from '../stores/redis-scripts';
import { orderTokenKey } from '../stores/store-keys';
import type { TokenAcquisition, TokenHold, TokenStore } from './token-store';

const ISSUED = 'issued';

// Take the token when it is issued, or when its holder's hold is older than the lease (the holder
// crashed or hangs: the database's unique orderTokenId still stops a second order). Otherwise
// leave it and return what is there.
const ACQUIRE = `
local value = redis.call('GET', KEYS[1])
if not value then return 'missing' end
if value == '${ISSUED}' then
  redis.call('SET', KEYS[1], ARGV[1], 'KEEPTTL')
  return 'acquired'
end
local since = string.match(value, '^in%-use|[^|]*|(%d+)$')
if since and tonumber(since) + tonumber(ARGV[3]) <= tonumber(ARGV[2]) then
  redis.call('SET', KEYS[1], ARGV[1], 'KEEPTTL')
  return 'acquired'
end
return value`;

/** ttlMs 0: a settled token keeps the expiry it was issued with. */
const KEEP_EXPIRY = 0;

interface TokenCommands {
  acquireOrderToken(key: string, hold: string, nowMs: number, leaseMs: number): Promise<string>;
}

function holdValue(hold: TokenHold): string {
  return `in-use|${hold.owner}|${hold.since}`;
}

/** Order tokens in Redis: one key per token, holding `issued`, `in-use|owner|since` or `used|orderId`. */
export class RedisTokenStore implements TokenStore {
  private readonly redis: RedisConnection & CompareAndSetCommands & TokenCommands;

  constructor(
    redis: RedisConnection,
    private readonly prefix: string,
  ) {
    this.redis = withStoreScripts<TokenCommands>(redis, { acquireOrderToken: { numberOfKeys: 1, lua: ACQUIRE } });
  }

  keyFor(tokenId: string): string {
    return orderTokenKey(this.prefix, tokenId);
  }

  async issue(tokenId: string, expiresAt: number): Promise<void> {
    await this.redis.set(this.keyFor(tokenId), ISSUED, 'PXAT', expiresAt);
  }

  async acquire(hold: TokenHold, leaseMs: number): Promise<TokenAcquisition> {
    const found = await this.redis.acquireOrderToken(this.keyFor(hold.tokenId), holdValue(hold), Date.now(), leaseMs);
    if (found === 'acquired' || found === 'missing') return { state: found };
    const [state, first, second] = found.split('|');
    if (state === 'used' && first) return { state: 'used', orderId: first };
    if (state === 'in-use' && second) return { state: 'in-use', since: Number(second) };
    throw new Error('The token store holds a value that is not a token state.');
  }

  // Compare-and-set that keeps the token's expiry: only the holder can settle its hold.
  async markUsed(hold: TokenHold, orderId: string): Promise<boolean> {
    return (
      (await this.redis.replaceIfEquals(this.keyFor(hold.tokenId), holdValue(hold), `used|${orderId}`, KEEP_EXPIRY)) ===
      1
    );
  }

  async giveBack(hold: TokenHold): Promise<boolean> {
    return (await this.redis.replaceIfEquals(this.keyFor(hold.tokenId), holdValue(hold), ISSUED, KEEP_EXPIRY)) === 1;
  }
}
