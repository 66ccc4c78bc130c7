import type { RedisConnection } from '../db/redis';
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

// Compare-and-set that keeps the token's expiry: only the holder can settle its hold.
const REPLACE_IF_HELD = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
  return 1
end
return 0`;

type ScriptedConnection = RedisConnection & {
  acquireOrderToken(key: string, hold: string, nowMs: number, leaseMs: number): Promise<string>;
  replaceIfHeld(key: string, expected: string, next: string): Promise<number>;
};

function holdValue(hold: TokenHold): string {
  return `in-use|${hold.owner}|${hold.since}`;
}

/** Order tokens in Redis: one key per token, holding `issued`, `in-use|owner|since` or `used|orderId`. */
export class RedisTokenStore implements TokenStore {
  private readonly redis: ScriptedConnection;

  constructor(
    redis: RedisConnection,
    private readonly prefix: string,
  ) {
    redis.defineCommand('acquireOrderToken', { numberOfKeys: 1, lua: ACQUIRE });
    redis.defineCommand('replaceIfHeld', { numberOfKeys: 1, lua: REPLACE_IF_HELD });
    this.redis = redis as ScriptedConnection;
  }

  keyFor(tokenId: string): string {
    return `${this.prefix}:otok:${tokenId}`;
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

  async markUsed(hold: TokenHold, orderId: string): Promise<boolean> {
    return (await this.redis.replaceIfHeld(this.keyFor(hold.tokenId), holdValue(hold), `used|${orderId}`)) === 1;
  }

  async giveBack(hold: TokenHold): Promise<boolean> {
    return (await this.redis.replaceIfHeld(this.keyFor(hold.tokenId), holdValue(hold), ISSUED)) === 1;
  }
}
