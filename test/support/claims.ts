import { claimKey } from '../../src/stores/store-keys';
import type { TestServer } from './server';
import { waitUntil } from './wait';

/**
 * Deletes a customer's claim from the server's Redis, as the end of retention, a flush or a
 * failover does, and resolves with DEL's count once the server no longer answers the key from its
 * near cache. Redis tells a tracking client of a change on another connection, a moment later: a
 * request sent right after the DEL may still be answered from memory (rightly: the key's first
 * answer), which a test of the database path must not take for its own.
 */
export async function forgetClaim(
  server: Pick<TestServer, 'app' | 'config'>,
  customerId: string,
  idempotencyKey: string,
  operation = 'createOrder',
): Promise<number> {
  const deleted = await server.app.redis!.del(
    claimKey(server.config.redisKeyPrefix, customerId, idempotencyKey, operation),
  );
  const scope = { operation, scope: customerId, key: idempotencyKey };
  await waitUntil(
    `the near cache to drop ${operation} ${customerId} ${idempotencyKey}`,
    async () => server.app.claims.peek?.(scope) === undefined,
    5_000,
    5,
  );
  return deleted;
}
