import { randomUUID } from 'node:crypto';
import { RedisClaimStore, packBytes, packUuid } from 'graphql-idempotency';
import { claimKeyPrefix } from '../../src/stores/store-keys';
import { decodeClaim } from 'graphql-idempotency';
import { mergeDuplicates } from '../../src/order-index/duplicate-merge';
import type { DuplicateGroup } from '../../src/order-index/duplicate-scan';
import { orderFromReplay } from '../../src/orders/order-replay';
import { OrderReplays } from '../../src/orders/order-replays';
import { CreateOrderDocument, IssueOrderTokenDocument } from '../operations/generated';
import type { CreateOrderMutation } from '../operations/generated';
import { seedProducts } from '../support/catalog';
import { forgetClaim } from '../support/claims';
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
  claims = new RedisClaimStore(server.app.redis!, claimKeyPrefix(server.config.redisKeyPrefix));
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
  const text = await server.app.redis!.get(claims.keyFor({ operation: 'createOrder', scope: customerId, key }));
  return text === null ? null : decodeClaim(text);
}

/** The order the key's stored replay holds, as a repeat reads it; null when the claim keeps none. */
async function storedReplay(customerId: string, key: string) {
  const claim = await storedClaim(customerId, key);
  if (claim?.state !== 'completed') return null;
  return orderFromReplay(claim.replay, { ...claim, firstSeenAt: new Date(claim.firstSeenAt) }, { customerId, key });
}

describe('a repeat shows the same order in every path', () => {
  it('CACHE: answered from the replay kept with the completed claim, without reading the order', async () => {
    const key = `replay-${randomUUID()}`;
    const created = await send('rita', key);
    const stored = await storedClaim('rita', key);
    expect(stored).toMatchObject({ state: 'completed', resourceId: orderOf(created).id });
    expect(typeof (stored as { replay?: unknown }).replay).toBe('string');
    expect(await storedReplay('rita', key)).toMatchObject({ id: orderOf(created).id, totalCents: 725 });
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
    await forgetClaim(server, 'rita', key);
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
    await forgetClaim(server, 'sam', key);
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

describe('claims written before the compact format (rolling upgrade)', () => {
  it("a completed claim in version 1's JSON, with its order replay, still answers its repeat from the claim", async () => {
    const key = `replay-${randomUUID()}`;
    const created = orderOf(
      await send('olga', key, {
        shippingAddress: { line1: '1 Old Road', city: 'Leeds', postalCode: 'LS1 1AA', country: 'GB' },
      }),
    );
    const [row] = await db.query<{ createdAt: Date; fingerprint: string; productIds: string[] }>(
      `SELECT o."createdAt", o."fingerprint", array_agg(i."productId"::text ORDER BY i."sku") AS "productIds"
         FROM "Order" o JOIN "OrderItem" i ON i."orderId" = o."id" WHERE o."id" = $1 GROUP BY o."id"`,
      [created.id],
    );
    // Exactly what the previous version wrote: JSON, the whole order in the replay (version 1).
    const oldRecord = {
      state: 'completed',
      fingerprint: row.fingerprint,
      resourceId: created.id,
      firstSeenAt: row.createdAt.getTime(),
      replay: {
        v: 1,
        order: {
          id: created.id,
          customerId: 'olga',
          idempotencyKey: key,
          fingerprint: row.fingerprint,
          orderTokenId: null,
          status: 'CONFIRMED',
          channel: 'WEB',
          currency: 'EUR',
          totalCents: created.totalCents,
          shippingAddress: { line1: '1 Old Road', city: 'Leeds', postalCode: 'LS1 1AA', country: 'GB' },
          possibleDuplicateOfId: null,
          mergedIntoId: null,
          createdAt: row.createdAt.toISOString(),
          items: created.items.map((item, index) => ({
            orderId: created.id,
            productId: row.productIds[index],
            sku: item.sku,
            quantity: item.quantity,
            unitPriceCents: item.unitPriceCents,
          })),
        },
      },
    };
    await server.app.redis!.set(
      claims.keyFor({ operation: 'createOrder', scope: 'olga', key }),
      JSON.stringify(oldRecord),
      'PX',
      60_000,
    );
    // The probe: the database now says another total, so an answer with the old one was read from the old claim.
    await db.query('UPDATE "Order" SET "totalCents" = "totalCents" + 1 WHERE "id" = $1', [created.id]);

    const repeated = await send('olga', key, {
      shippingAddress: { line1: '1 Old Road', city: 'Leeds', postalCode: 'LS1 1AA', country: 'GB' },
    });
    expect(repeated).toMatchObject({ __typename: 'DuplicateDetected', detectedBy: 'CACHE' });
    expect(orderOf(repeated)).toEqual(created);
  });
  it('a completed claim in version 2 (NUL-separated, with its version 2 order replay) still answers its repeat from the claim', async () => {
    const key = `replay-${randomUUID()}`;
    const address = { line1: '2 Older Road', city: 'York', postalCode: 'YO1 7HH', country: 'GB' };
    const created = orderOf(await send('otto', key, { shippingAddress: address }));
    const [row] = await db.query<{ createdAt: Date; fingerprint: string; productIds: string[] }>(
      `SELECT o."createdAt", o."fingerprint", array_agg(i."productId"::text ORDER BY i."sku") AS "productIds"
         FROM "Order" o JOIN "OrderItem" i ON i."orderId" = o."id" WHERE o."id" = $1 GROUP BY o."id"`,
      [created.id],
    );
    // Exactly what version 2 wrote: the replay's fields (status, channel, currency, total, token, the
    // two related ids, 'a' and the address with U+0001 for an absent field, then the items) and the claim's.
    const none = '\u0001';
    const replay = [
      '2',
      '',
      '',
      'EUR',
      '',
      '',
      '',
      '',
      'a',
      none,
      address.line1,
      none,
      address.city,
      none,
      address.postalCode,
      address.country,
      ...created.items.flatMap((item, index) => [
        packUuid(row.productIds[index])! + item.sku,
        String(item.quantity),
        String(item.unitPriceCents),
      ]),
    ].join('\u0000');
    const version2 = [
      'c2',
      packBytes(Buffer.from(row.fingerprint, 'hex')) + packUuid(created.id)!,
      row.createdAt.getTime().toString(36),
      's',
      replay,
    ].join('\u0000');
    await server.app.redis!.set(
      claims.keyFor({ operation: 'createOrder', scope: 'otto', key }),
      version2,
      'PX',
      60_000,
    );
    // The probe: the database now says another total, so an answer with the old one was read from the old claim.
    await db.query('UPDATE "Order" SET "totalCents" = "totalCents" + 1 WHERE "id" = $1', [created.id]);

    const repeated = await send('otto', key, { shippingAddress: address });
    expect(repeated).toMatchObject({ __typename: 'DuplicateDetected', detectedBy: 'CACHE' });
    expect(orderOf(repeated)).toEqual(created);
  });
});

describe('a cached replay follows its order', () => {
  it('shows a merge made after the key completed: cancelled, merged into the survivor', async () => {
    const survivorKey = `replay-${randomUUID()}`;
    const duplicateKey = `replay-${randomUUID()}`;
    const survivor = orderOf(await send('uma', survivorKey));
    const duplicate = orderOf(await send('uma', duplicateKey));
    // The fault to guard against: the store holds the duplicate as it was, confirmed.
    expect(await storedReplay('uma', duplicateKey)).toMatchObject({ status: 'CONFIRMED', mergedIntoId: null });

    const replays = new OrderReplays(claims, server.config.idempotencyRetentionMs);
    const summary = await mergeDuplicates(server.app.prisma, [groupOf(survivor.id, duplicate.id)], true, (orders) =>
      replays.forget(orders),
    );
    expect(summary.cancelled).toBe(1);

    const forgotten = await storedClaim('uma', duplicateKey);
    expect(forgotten).toMatchObject({ state: 'completed', resourceId: duplicate.id });
    expect(forgotten && 'replay' in forgotten).toBe(false);
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
