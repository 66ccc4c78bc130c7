import { randomUUID } from 'node:crypto';
import { RedisClaimStore } from '../../src/idempotency/redis-claim-store';
import { decodeClaim } from '../../src/idempotency/claim-store';
import { mergeDuplicates } from '../../src/order-index/duplicate-merge';
import type { DuplicateGroup } from '../../src/order-index/duplicate-scan';
import { OrderReplays } from '../../src/orders/order-replays';
import { CreateOrderDocument, IssueOrderTokenDocument } from '../operations/generated';
import type { CreateOrderMutation } from '../operations/generated';
import { seedProducts } from '../support/catalog';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { postOperation } from '../support/graphql-client';
import { startTestServer } from '../support/server';
import { recordStatements } from '../support/sql-statements';
import type { TestServer } from '../support/server';

// What a repeat shows, whichever layer recognised it: the order as it is now.

type Answer = CreateOrderMutation['createOrder'];

let db: TestDatabase;
let server: TestServer;
let claims: RedisClaimStore;

beforeAll(async () => {
  db = await createTestDatabase('replay');
  // OFF: these tests send one cart under several keys on purpose.
  server = await startTestServer(db.url, 'replay', { SEMANTIC_DUPLICATE_POLICY: 'OFF' });
  claims = new RedisClaimStore(server.app.redis!, server.config.redisKeyPrefix);
  await seedProducts(db.url, [
    { sku: 'REPLAY-A', priceCents: 300, stock: 1_000 },
    { sku: 'REPLAY-B', priceCents: 125, stock: 1_000 },
  ]);
});

afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

const input = {
  currency: 'EUR',
  items: [
    { sku: 'REPLAY-A', quantity: 2 },
    { sku: 'REPLAY-B', quantity: 1 },
  ],
};

async function send(customerId: string, key: string, extra: Record<string, unknown> = {}): Promise<Answer> {
  const response = await postOperation(
    server.url,
    CreateOrderDocument,
    { key, input: { ...input, ...extra } },
    { token: await server.tokenFor(customerId) },
  );
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.createOrder;
}

function orderOf(answer: Answer) {
  if (answer.__typename === 'OrderCreated') return answer.order;
  if (answer.__typename === 'DuplicateDetected') return answer.originalOrder;
  throw new Error(`not an order: ${answer.__typename}`);
}

/** A scan report's group: `duplicateId` is to be merged into `survivorId`. */
function groupOf(survivorId: string, duplicateId: string): DuplicateGroup {
  const ref = (orderId: string) => ({ orderId, channel: 'WEB', externalId: null });
  return {
    survivor: ref(survivorId),
    duplicates: [ref(duplicateId)],
    similarity: 1,
    reasons: ['same items and quantities'],
  };
}

/** A statement that reads orders or their items. */
function readsOrders(statement: string): boolean {
  return /^\s*SELECT\b/i.test(statement) && /"(Order|OrderItem)"/.test(statement);
}

async function storedClaim(customerId: string, key: string) {
  const text = await server.app.redis!.get(claims.keyFor({ customerId, key }));
  return text === null ? null : decodeClaim(text);
}

describe('a repeat shows the same order in every path', () => {
  it('CACHE: answered from the replay kept with the completed claim, without reading the order', async () => {
    const key = `replay-${randomUUID()}`;
    const created = await send('rita', key);
    const stored = await storedClaim('rita', key);
    expect(stored).toMatchObject({ state: 'completed', replay: { order: { id: orderOf(created).id } } });
    const log = recordStatements(db.name);
    let repeated: Answer;
    try {
      repeated = await send('rita', key);
    } finally {
      log.stop();
    }
    expect(repeated).toMatchObject({ __typename: 'DuplicateDetected', detectedBy: 'CACHE' });
    expect(orderOf(repeated)).toEqual(orderOf(created));
    expect(log.statements.filter(readsOrders)).toEqual([]);

    // The count can see reads: the same repeat once the claim is gone reads the order.
    await server.app.redis!.del(claims.keyFor({ customerId: 'rita', key }));
    const counted = recordStatements(db.name);
    try {
      expect(await send('rita', key)).toMatchObject({ detectedBy: 'DATABASE' });
    } finally {
      counted.stop();
    }
    expect(counted.statements.filter(readsOrders).length).toBeGreaterThan(0);
  });

  it('DATABASE: the claim store forgot the key, the database answers with the same order', async () => {
    const key = `replay-${randomUUID()}`;
    const created = await send('sam', key);
    await server.app.redis!.del(claims.keyFor({ customerId: 'sam', key }));
    const repeated = await send('sam', key);
    expect(repeated).toMatchObject({ __typename: 'DuplicateDetected', detectedBy: 'DATABASE' });
    expect(orderOf(repeated)).toEqual(orderOf(created));
  });

  it('TOKEN: a used order token under a new key answers with the order that used it', async () => {
    const token = await server.tokenFor('tess');
    const issued = await postOperation(server.url, IssueOrderTokenDocument, {}, { token });
    const orderToken = issued.body.data!.issueOrderToken.token;
    const created = await send('tess', `replay-${randomUUID()}`, { orderToken });
    const repeated = await send('tess', `replay-${randomUUID()}`, { orderToken });
    expect(repeated).toMatchObject({ __typename: 'DuplicateDetected', detectedBy: 'TOKEN' });
    expect(orderOf(repeated)).toEqual(orderOf(created));
  });
});

describe('a cached replay follows its order', () => {
  it('shows a merge made after the key completed: cancelled, merged into the survivor', async () => {
    const survivorKey = `replay-${randomUUID()}`;
    const duplicateKey = `replay-${randomUUID()}`;
    const survivor = orderOf(await send('uma', survivorKey));
    const duplicate = orderOf(await send('uma', duplicateKey));
    // The fault to guard against: the store holds the duplicate as it was, confirmed.
    expect(await storedClaim('uma', duplicateKey)).toMatchObject({
      replay: { order: { status: 'CONFIRMED', mergedIntoId: null } },
    });

    const replays = new OrderReplays(claims, server.config.idempotencyRetentionMs);
    const summary = await mergeDuplicates(server.app.prisma, [groupOf(survivor.id, duplicate.id)], true, (orders) =>
      replays.forget(orders),
    );
    expect(summary.cancelled).toBe(1);

    expect(await storedClaim('uma', duplicateKey)).toEqual(expect.not.objectContaining({ replay: expect.anything() }));
    const repeated = await send('uma', duplicateKey);
    expect(repeated).toMatchObject({ __typename: 'DuplicateDetected', detectedBy: 'CACHE' });
    expect(orderOf(repeated)).toMatchObject({ id: duplicate.id, status: 'CANCELLED', mergedIntoId: survivor.id });
  });

  it('leaves the order unchanged when the claim store cannot be told (the merge is refused)', async () => {
    const survivor = orderOf(await send('vic', `replay-${randomUUID()}`));
    const duplicate = orderOf(await send('vic', `replay-${randomUUID()}`));
    const unreachable = () => Promise.reject(new Error('claim store down'));
    await expect(
      mergeDuplicates(server.app.prisma, [groupOf(survivor.id, duplicate.id)], true, unreachable),
    ).rejects.toThrow('claim store down');
    const [row] = await db.query<{ status: string }>('SELECT "status"::text FROM "Order" WHERE "id" = $1', [
      duplicate.id,
    ]);
    expect(row.status).toBe('CONFIRMED');
  });
});
