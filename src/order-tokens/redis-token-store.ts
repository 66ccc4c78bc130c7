import type { RedisConnection } from '../redis/redis-connection';
import { withStoreScripts } from '../stores/redis-scripts';
import type { CompareAndSetCommands } from '../stores/redis-scripts';
import { orderTokenKey } from '../stores/store-keys';
import type { TokenAcquisition, TokenHold, TokenStore } from './token-store';

const ISSUED = 'issued';

// Take the token when it is issued, or when its holder's hold is older than the lease (the holder
// crashed or hangs: the database's unique orderTokenId still stops a second order). Otherwise
// leave it and return what is there. The hold is dated, and its age judged, by Redis's clock
// (TIME): every instance's holds on one clock, so one whose clock runs ahead does not take over a
// live hold, nor does one that runs behind hold a crashed one's token past its lease.
const ACQUIRE = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local value = redis.call('GET', KEYS[1])
if not value then return {'missing'} end
local since = string.match(value, '^in%-use|[^|]*|(%d+)$')
local leaseEnd = since and tonumber(since) + tonumber(ARGV[2])
if value == '${ISSUED}' or (leaseEnd and leaseEnd <= now) then
  local stamp = string.format('%d', now)
  redis.call('SET', KEYS[1], 'in-use|' .. ARGV[1] .. '|' .. stamp, 'KEEPTTL')
  return {'acquired', stamp}
end
if leaseEnd then return {'in-use', string.format('%d', leaseEnd - now)} end
return {value}`;

/** ttlMs 0: a settled token keeps the expiry it was issued with. */
const KEEP_EXPIRY = 0;

interface TokenCommands {
  acquireOrderToken(key: string, owner: string, leaseMs: number): Promise<string[]>;
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

  async acquire(tokenId: string, owner: string, leaseMs: number): Promise<TokenAcquisition> {
    const [found, detail] = await this.redis.acquireOrderToken(this.keyFor(tokenId), owner, leaseMs);
    if (found === 'missing') return { state: 'missing' };
    if (found === 'acquired' && detail) return { state: 'acquired', hold: { tokenId, owner, since: Number(detail) } };
    if (found === 'in-use' && detail) return { state: 'in-use', leaseLeftMs: Number(detail) };
    const [state, orderId] = (found ?? '').split('|');
    if (state === 'used' && orderId) return { state: 'used', orderId };
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
