import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { IdempotencyPolicy } from '../src';

/** The Redis the package's tests use (a loopback server; GRAPHQL_IDEMPOTENCY_TEST_REDIS overrides). */
export const REDIS_URL = process.env['GRAPHQL_IDEMPOTENCY_TEST_REDIS'] ?? 'redis://127.0.0.1:6379';

/** A key prefix no other test run shares. */
export function uniquePrefix(label: string): string {
  return `gi-test:${label}:${randomBytes(4).toString('hex')}`;
}

/** A connected client (the claim store refuses at once while its connection is not up). */
export async function connectRedis(): Promise<Redis> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  await redis.ping();
  return redis;
}

/** Deletes every key under a prefix (SCAN, never KEYS) and disconnects. */
export async function dropPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  redis.disconnect();
}

export type ToyAnswer = { kind: string; id?: string; retryAfterMs?: number };

/** A toy mutation's policy: the key in `key`, the payload in `payload`, the answer's id its resource. */
export function toyPolicy(
  operation: string,
  options: { leaseMs?: number; committed?: Map<string, string> } = {},
): IdempotencyPolicy<{ key: string; payload: string; scope?: string }, unknown, ToyAnswer> {
  return {
    operation,
    keyArgument: 'key',
    leaseMs: options.leaseMs,
    prepare: (args) => ({ scope: args.scope ?? 'customer-1', fingerprint: args.payload }),
    outcomeOf: (answer, attempt) =>
      answer.kind === 'created'
        ? {
            outcome: 'created',
            resource: { resourceId: answer.id!, fingerprint: attempt.prepared.fingerprint, firstSeenAt: new Date() },
          }
        : { outcome: 'rejected' },
    findCommitted: async (scope) => {
      const id = options.committed?.get(`${scope.operation}/${scope.key}`);
      return id ? { resourceId: id, fingerprint: 'p', firstSeenAt: new Date(0) } : null;
    },
    answer(answer) {
      if (answer.outcome === 'duplicate') return { kind: `duplicate/${answer.layer}`, id: answer.resource.resourceId };
      if (answer.outcome === 'in_progress') return { kind: 'in_progress', retryAfterMs: answer.retryAfterMs };
      return { kind: answer.outcome };
    },
  };
}
