import { randomUUID } from 'node:crypto';
import { postGraphQL } from '../support/graphql-client';
import { createOrder, newKey, outcomeOf } from '../support/order-client';
import { recordStatements } from '../support/sql-statements';
import { withTestServer } from '../support/test-server-fixture';
import { holdOne, placeOrder } from '../orders/lifecycle/held-order-client';
import { seedProduct } from '../orders/lifecycle/lifecycle-client';

// The four lists that page with `after` (src/request/keyset-page.ts): a page after a cursor is
// one statement, its cursor checked in it; an unknown cursor is refused by that same statement.
const fixture = withTestServer('keyset-paging');

const SKU = 'KEYSET-1';

/** Each list as an admin or its customer reads it: the query, the ids of a page, the refusal of a bad `after`. */
interface PagedList {
  query: string;
  variables: Record<string, unknown>;
  ids(data: Record<string, unknown>): string[];
  refusal: string;
}

const LISTS: Record<string, (ids: { orderId: string }) => PagedList> = {
  orders: () => ({
    query: 'query($first: Int, $after: ID) { orders(first: $first, after: $after) { id } }',
    variables: {},
    ids: (data) => (data['orders'] as { id: string }[]).map((row) => row.id),
    refusal: "`after` must be the id of one of the caller's orders.",
  }),
  orderHistory: ({ orderId }) => ({
    query: `query($orderId: ID!, $first: Int, $after: ID) {
      orderHistory(orderId: $orderId, first: $first, after: $after, newestFirst: true) { id relatedChannel }
    }`,
    variables: { orderId },
    ids: (data) => (data['orderHistory'] as { id: string }[]).map((row) => row.id),
    refusal: "`after` must be the id of an event of this order's history.",
  }),
  duplicateAttempts: ({ orderId }) => ({
    query: `query($orderId: ID, $first: Int, $after: ID) {
      duplicateAttempts(orderId: $orderId, first: $first, after: $after) { id relatedChannel }
    }`,
    variables: { orderId },
    ids: (data) => (data['duplicateAttempts'] as { id: string }[]).map((row) => row.id),
    refusal: '`after` must be the id of an event duplicateAttempts gave.',
  }),
  heldOrders: () => ({
    query: 'query($first: Int, $after: ID) { heldOrders(first: $first, after: $after) { id } }',
    variables: {},
    ids: (data) => (data['heldOrders'] as { id: string }[]).map((row) => row.id),
    refusal: '`after` must be the id of a held order.',
  }),
};

describe('a page after a cursor', () => {
  let orderId: string;
  let customerToken: string;
  let adminToken: string;

  beforeAll(async () => {
    const { server, db } = fixture;
    await seedProduct(db, SKU, 1_000);
    // Two held orders (two customers), the first one's candidate repeated twice: every list has a second page.
    const held = await holdOne(server, 'kim', SKU);
    await holdOne(server, 'lou', SKU);
    orderId = held.candidateId;
    const again = await placeOrder(server, 'kim', newKey('other'), SKU, 5);
    expect(again.__typename).toBe('OrderCreated');
    const [firstKey] = await db.query<{ idempotencyKey: string }>(
      'SELECT "idempotencyKey" FROM "Order" WHERE "id" = $1::uuid',
      [orderId],
    );
    const input = { currency: 'EUR', items: [{ sku: SKU, quantity: 2 }] };
    for (let i = 0; i < 2; i += 1)
      expect(outcomeOf(await createOrder(server, { customerId: 'kim' }, firstKey.idempotencyKey, input))).toBe(
        'DuplicateDetected/CACHE',
      );
    await server.app.services.auditLog.flush();
    customerToken = await server.tokenFor('kim');
    adminToken = await server.tokenFor('keyset-admin', 'admin');
  });

  /** The list's answer and the statements it sent (audit batches of earlier requests left out). */
  async function counted(list: string, variables: Record<string, unknown>) {
    const spec = LISTS[list]({ orderId });
    const token = list === 'orders' ? customerToken : adminToken;
    const log = recordStatements(fixture.db.name);
    try {
      const response = await postGraphQL(
        fixture.server.url,
        spec.query,
        { ...spec.variables, ...variables },
        { token },
      );
      const statements = log.statements.filter((text) => !/^\s*INSERT INTO "IdempotencyAuditEvent"/.test(text));
      return { spec, response, statements };
    } finally {
      log.stop();
    }
  }

  it.each(Object.keys(LISTS))(
    '%s: one statement a page, the cursor checked in it; an unknown cursor refused by it',
    async (list) => {
      // The whole list, related orders' channels (relatedChannel) included: one statement.
      const all = await counted(list, { first: 100 });
      expect(all.response.body.errors).toBeUndefined();
      const ids = all.spec.ids(all.response.body.data!);
      expect(ids.length).toBeGreaterThanOrEqual(2);
      expect(all.statements).toHaveLength(1);
      if (list === 'orderHistory' || list === 'duplicateAttempts') {
        // The hold points at the candidate, a WEB order: its channel comes from the same statement.
        const events = all.response.body.data![list] as { relatedChannel: string | null }[];
        expect(events.map((event) => event.relatedChannel)).toContain('WEB');
      }

      // The page after the first item is the second item, in one statement.
      const second = await counted(list, { first: 1, after: ids[0] });
      expect(second.response.body.errors).toBeUndefined();
      expect(second.spec.ids(second.response.body.data!)).toEqual([ids[1]]);
      expect(second.statements).toHaveLength(1);

      // After the last item: an empty page, not a refusal, still one statement.
      const end = await counted(list, { first: 100, after: ids.at(-1) });
      expect(end.response.body).toEqual({ data: { [list]: [] } });
      expect(end.statements).toHaveLength(1);

      // A cursor of the right shape that names nothing: refused by the page's own statement.
      const unknown = list === 'orders' || list === 'heldOrders' ? randomUUID() : '999999999';
      const refused = await counted(list, { first: 1, after: unknown });
      expect(refused.response.body.data).toBeNull();
      expect(refused.response.body.errors?.[0]).toMatchObject({
        message: refused.spec.refusal,
        extensions: { code: 'BAD_USER_INPUT', field: 'after' },
      });
      expect(refused.statements).toHaveLength(1);
    },
  );
});
