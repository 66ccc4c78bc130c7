import { randomUUID } from 'node:crypto';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { seedProducts } from '../support/catalog';
import { postGraphQL } from '../support/graphql-client';
import { startTestServer } from '../support/server';
import type { TestServer } from '../support/server';

const ORDER_FIELDS =
  'id customerId status channel currency totalCents idempotencyKey createdAt items { sku quantity unitPriceCents }';
const ADDRESS_FIELDS =
  'shippingAddress { name line1 line2 city region postalCode country } possibleDuplicateOfId mergedIntoId';
/** createOrder with the fields of duplicate detection (PossibleDuplicate, addresses, flags). */
const CREATE_ORDER_WITH_DUPLICATES = `
  mutation CreateOrder($key: String!, $input: CreateOrderInput!) {
    createOrder(idempotencyKey: $key, input: $input) {
      __typename
      ... on OrderCreated { order { ${ORDER_FIELDS} ${ADDRESS_FIELDS} } }
      ... on DuplicateDetected { detectedBy originalOrder { id } }
      ... on PossibleDuplicate { similarity reasons candidate { ${ORDER_FIELDS} ${ADDRESS_FIELDS} } }
      ... on ValidationFailed { field message }
    }
  }
`;

interface OrderView {
  id: string;
  possibleDuplicateOfId: string | null;
  shippingAddress: Record<string, string | null> | null;
}
type Result = {
  __typename: string;
  order?: OrderView;
  candidate?: OrderView;
  similarity?: number;
  reasons?: string[];
  field?: string;
};

let db: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  db = await createTestDatabase('possible_duplicate');
  // WEB keeps the default (HOLD); the others are set per channel.
  server = await startTestServer(db.url, 'possible-duplicate', { SEMANTIC_DUPLICATE_POLICY: 'MOBILE:FLAG,API:OFF' });
  await seedProducts(db.url, [
    { sku: 'DUP-TEA', priceCents: 450, stock: 10_000 },
    { sku: 'DUP-CUP', priceCents: 900, stock: 10_000 },
  ]);
});

afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

const address = {
  name: 'Ada Lovelace',
  line1: '12 Baker Street',
  line2: 'Apt 4',
  city: 'London',
  postalCode: 'NW1 6XE',
  country: 'gb',
};
const reformatted = {
  name: 'ADA LOVELACE',
  line1: '12, Baker St.',
  line2: 'apt. 4',
  city: ' london ',
  postalCode: 'nw16xe',
  country: 'GB',
};
const cart = (channel: string, shippingAddress: object = address, quantity = 2) => ({
  currency: 'EUR',
  channel,
  shippingAddress,
  items: [
    { sku: 'DUP-TEA', quantity },
    { sku: 'DUP-CUP', quantity: 1 },
  ],
});
/** The same cart as a reloaded page would send it: other SKU case, lines reordered and split. */
const reloaded = (channel: string, extra: object = {}) => ({
  currency: 'eur',
  channel,
  shippingAddress: reformatted,
  items: [
    { sku: ' dup-cup', quantity: 1 },
    { sku: 'dup-tea ', quantity: 1 },
    { sku: 'DUP-TEA', quantity: 1 },
  ],
  ...extra,
});

async function send(customerId: string, input: object, key = `key-${randomUUID()}`): Promise<Result> {
  const token = await server.tokenFor(customerId);
  const response = await postGraphQL<{ createOrder: Result }>(
    server.url,
    CREATE_ORDER_WITH_DUPLICATES,
    { key, input },
    { token },
  );
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.createOrder;
}

async function ordersOf(customerId: string): Promise<{ id: string; possibleDuplicateOfId: string | null }[]> {
  return db.query('SELECT "id", "possibleDuplicateOfId" FROM "Order" WHERE "customerId" = $1 ORDER BY "createdAt"', [
    customerId,
  ]);
}

async function auditOutcomes(customerId: string): Promise<[string, string | null, string | null][]> {
  await server.app.services.auditLog.flush();
  const rows = await db.query<{ outcome: string; orderId: string | null; relatedOrderId: string | null }>(
    // By decision time: a created order's record is written with the order, the others in batches.
    'SELECT "outcome", "orderId", "relatedOrderId" FROM "IdempotencyAuditEvent" WHERE "customerId" = $1 ORDER BY "at", "id"',
    [customerId],
  );
  return rows.map((row) => [row.outcome, row.orderId, row.relatedOrderId]);
}

describe('semantic duplicates under HOLD (WEB, the default)', () => {
  it('holds a reloaded cart with a new key, creates nothing, and names the original with its reasons', async () => {
    const first = await send('dup-hold', cart('WEB'));
    expect(first.__typename).toBe('OrderCreated');
    const held = await send('dup-hold', reloaded('WEB'));
    expect(held).toMatchObject({ __typename: 'PossibleDuplicate', similarity: 1, candidate: { id: first.order!.id } });
    expect(held.reasons).toEqual(
      expect.arrayContaining(['same items and quantities', 'same currency', 'same shipping address', 'same customer']),
    );
    expect(await ordersOf('dup-hold')).toHaveLength(1);
    expect(await auditOutcomes('dup-hold')).toEqual([
      ['created', first.order!.id, null],
      ['possible_duplicate_held', null, first.order!.id],
    ]);
  });

  it('holds a re-submission typed again with typos, while the same cart to another house number goes through', async () => {
    const first = await send('dup-typo', cart('WEB'));
    expect(first.__typename).toBe('OrderCreated');
    const typed = {
      name: 'Lovelace, Ada',
      line1: '12 Bakr Stret',
      line2: 'Apartment 4',
      city: 'Lodnon',
      postalCode: 'nw1 6xe',
      country: 'GB',
    };
    const held = await send('dup-typo', cart('WEB', typed));
    expect(held).toMatchObject({ __typename: 'PossibleDuplicate', candidate: { id: first.order!.id } });
    expect(held.similarity).toBeLessThan(1);
    expect(held.reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^same shipping address, typed differently: .*street typed differently/),
      ]),
    );
    const neighbour = await send('dup-typo', cart('WEB', { ...typed, line1: '14 Bakr Stret' }));
    expect(neighbour).toMatchObject({ __typename: 'OrderCreated', order: { possibleDuplicateOfId: null } });
    expect((await ordersOf('dup-typo')).map((order) => order.id)).toEqual([first.order!.id, neighbour.order!.id]);
  });

  it('creates it when the client confirms with a new key, marked as a possible duplicate of the original', async () => {
    const first = await send('dup-confirm', cart('WEB'));
    expect((await send('dup-confirm', reloaded('WEB'))).__typename).toBe('PossibleDuplicate');
    const confirmed = await send('dup-confirm', reloaded('WEB', { confirmPossibleDuplicate: true }));
    expect(confirmed).toMatchObject({ __typename: 'OrderCreated', order: { possibleDuplicateOfId: first.order!.id } });
    expect(confirmed.order!.shippingAddress).toMatchObject({ line1: '12, Baker St.', country: 'GB' });
    expect((await auditOutcomes('dup-confirm')).map(([outcome]) => outcome)).toEqual([
      'created',
      'possible_duplicate_held',
      'possible_duplicate_confirmed',
    ]);
  });

  it('does not hold different quantities, a different address, another customer, or the same key (a plain retry)', async () => {
    const first = await send('dup-legit', cart('WEB'));
    expect((await send('dup-legit', cart('WEB', address, 3))).__typename).toBe('OrderCreated');
    expect((await send('dup-legit', cart('WEB', { ...address, line1: '14 Baker Street' }))).__typename).toBe(
      'OrderCreated',
    );
    expect((await send('dup-legit-neighbour', cart('WEB'))).__typename).toBe('OrderCreated');
    const key = `key-${randomUUID()}`;
    await send('dup-retry', cart('WEB'), key);
    expect((await send('dup-retry', cart('WEB'), key)).__typename).toBe('DuplicateDetected');
    expect((await ordersOf('dup-legit')).map((order) => order.possibleDuplicateOfId)).toEqual([null, null, null]);
    expect(first.__typename).toBe('OrderCreated');
  });

  it('holds a resend although the customer placed the same cart to another address 25 times since (orders to one address are one candidate)', async () => {
    const customer = `crowd-${randomUUID()}`;
    const first = await send(customer, cart('WEB'));
    expect(first.__typename).toBe('OrderCreated');
    const elsewhere = { ...address, line1: '3 Station Road', line2: null, city: 'Leeds', postalCode: 'LS1 1AA' };
    for (let order = 0; order < 25; order++) {
      // MOBILE flags: each is created, so the customer has 25 newer same-cart orders to one other place.
      expect((await send(customer, cart('MOBILE', elsewhere))).__typename).toBe('OrderCreated');
    }
    const resend = await send(customer, cart('WEB'));
    expect(resend).toMatchObject({ __typename: 'PossibleDuplicate', candidate: { id: first.order!.id } });
  });

  it('does not hold the same cart once the window has passed', async () => {
    const first = await send('dup-window', cart('WEB'));
    await db.query(`UPDATE "Order" SET "createdAt" = now() - interval '11 minutes' WHERE "id" = $1`, [first.order!.id]);
    const again = await send('dup-window', reloaded('WEB'));
    expect(again).toMatchObject({ __typename: 'OrderCreated', order: { possibleDuplicateOfId: null } });
  });

  it('lets exactly one of 20 concurrent equivalent requests with different keys through', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => send('dup-race', reloaded('WEB'))));
    const counts: Record<string, number> = {};
    for (const result of results) counts[result.__typename] = (counts[result.__typename] ?? 0) + 1;
    expect(counts).toEqual({ OrderCreated: 1, PossibleDuplicate: 19 });
    expect(await ordersOf('dup-race')).toHaveLength(1);
    const [stock] = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM "OrderItem" i JOIN "Order" o ON o."id" = i."orderId" WHERE o."customerId" = 'dup-race'`,
    );
    expect(Number(stock.n)).toBe(2);
  });
});

describe('per-channel policies', () => {
  it('FLAG (MOBILE) creates the order, marks it and records it', async () => {
    const first = await send('dup-flag', cart('MOBILE'));
    const flagged = await send('dup-flag', reloaded('MOBILE'));
    expect(flagged).toMatchObject({ __typename: 'OrderCreated', order: { possibleDuplicateOfId: first.order!.id } });
    expect(await auditOutcomes('dup-flag')).toEqual([
      ['created', first.order!.id, null],
      ['possible_duplicate_flagged', flagged.order!.id, first.order!.id],
    ]);
  });

  // API, not POS: a customer may not name POS (a door's channel) through GraphQL.
  it('OFF (API) creates the order without looking', async () => {
    await send('dup-off', cart('API'));
    const second = await send('dup-off', reloaded('API'));
    expect(second).toMatchObject({ __typename: 'OrderCreated', order: { possibleDuplicateOfId: null } });
  });
});

describe('shippingAddress input', () => {
  it('answers ValidationFailed naming the field for a bad country or a missing line', async () => {
    expect(await send('dup-bad', cart('WEB', { ...address, country: 'Britain' }))).toMatchObject({
      __typename: 'ValidationFailed',
      field: 'shippingAddress.country',
    });
    expect(await send('dup-bad', cart('WEB', { ...address, line1: '  ' }))).toMatchObject({
      __typename: 'ValidationFailed',
      field: 'shippingAddress.line1',
    });
    expect(await ordersOf('dup-bad')).toEqual([]);
  });
});
