import { randomUUID } from 'node:crypto';
import { seedProducts } from '../support/catalog';
import { docsExample } from '../support/docs';
import { postGraphQL, postOperation } from '../support/graphql-client';
import { createOrder, newKey, orderIdOf, outcomeOf } from '../support/order-client';
import { withTestServer } from '../support/test-server-fixture';
import { OrderHistoryDocument } from '../operations/generated';
import type { CreateOrderInput, OrderHistoryQueryVariables } from '../operations/generated';

const fixture = withTestServer('order-history-paging');

const input: CreateOrderInput = { currency: 'EUR', items: [{ sku: 'HISTORY-1', quantity: 1 }] };

beforeAll(async () => {
  await seedProducts(fixture.db.url, [{ sku: 'HISTORY-1', priceCents: 100, stock: 1_000 }]);
});

/** An order placed through createOrder: its id, and the key a repeat sends. */
async function placeOrder(customerId: string): Promise<{ orderId: string; key: string }> {
  const key = newKey('history');
  const answer = await createOrder(fixture.server, { customerId }, key, input);
  expect(answer.__typename).toBe('OrderCreated');
  return { orderId: orderIdOf(answer)!, key };
}

/** Repeats of the order's key through createOrder, their batched records written. */
async function repeat(customerId: string, key: string, times: number): Promise<void> {
  for (let i = 0; i < times; i += 1)
    expect(outcomeOf(await createOrder(fixture.server, { customerId }, key, input))).toBe('DuplicateDetected/CACHE');
  await fixture.server.app.services.auditLog.flush();
}

/**
 * Events as a webhook redelivered `count` times leaves them (at SQL speed, not a thousand requests):
 * duplicates of `orderId`, or with `relatedTo` merges of other orders into that one.
 */
async function recordEvents(orderId: string, count: number, relatedTo?: string): Promise<void> {
  await fixture.db.query(
    `INSERT INTO "IdempotencyAuditEvent" ("at", "outcome", "source", "claim", "customerId", "idempotencyKey",
                                          "latencyMs", "orderId", "relatedOrderId", "operation")
     SELECT now(), $3, 'DATABASE', 'claimed', 'marketplace', 'delivery-' || g, 1.5, $1::uuid, $2::uuid, 'createOrder'
       FROM generate_series(1, $4::int) AS g`,
    [relatedTo ? randomUUID() : orderId, relatedTo ?? null, relatedTo ? 'merged' : 'duplicate', count],
  );
}

/** The ids of the order's history as the table holds it, in the order they were recorded. */
async function storedHistory(orderId: string): Promise<string[]> {
  const rows = await fixture.db.query<{ eventId: string }>(
    `SELECT e."id"::text AS "eventId" FROM "IdempotencyAuditEvent" e
      WHERE e."orderId" = $1 OR e."relatedOrderId" = $1 ORDER BY e."id"`,
    [orderId],
  );
  return rows.map((row) => row.eventId);
}

async function historyPage(variables: OrderHistoryQueryVariables) {
  const token = await fixture.server.tokenFor('ops', 'admin');
  return postOperation(fixture.server.url, OrderHistoryDocument, variables, { token });
}

/**
 * Walks the history a page at a time until a page comes back short, calling `between` after each
 * full page; the ids in the order given, and the size of each page.
 */
async function walk(
  variables: OrderHistoryQueryVariables,
  between: () => Promise<void>,
): Promise<{ ids: string[]; sizes: number[] }> {
  const ids: string[] = [];
  const sizes: number[] = [];
  for (let after: string | null = null; ;) {
    const response = await historyPage({ ...variables, after });
    expect(response.body.errors).toBeUndefined();
    const page = response.body.data!.orderHistory;
    ids.push(...page.map((event) => event.id));
    sizes.push(page.length);
    if (page.length < (variables.first ?? 500)) return { ids, sizes };
    after = page[page.length - 1].id;
    await between();
  }
}

describe('orderHistory, a page at a time', () => {
  let pia: { orderId: string; key: string };
  let other: { orderId: string; key: string };

  beforeAll(async () => {
    pia = await placeOrder('pia');
    other = await placeOrder('quinn');
    // 1,200 redeliveries, two merges into the order among them (relatedOrderId), another order's
    // events interleaved: more than two default pages.
    await recordEvents(pia.orderId, 400);
    await recordEvents(other.orderId, 50);
    await recordEvents(pia.orderId, 1, pia.orderId);
    await recordEvents(pia.orderId, 400);
    await recordEvents(other.orderId, 50);
    await recordEvents(pia.orderId, 1, pia.orderId);
    await recordEvents(pia.orderId, 400);
    await repeat('quinn', other.key, 2);
  });

  it('oldest first: every event once, those recorded between pages included, from the order’s creation on', async () => {
    const before = await storedHistory(pia.orderId);
    expect(before).toHaveLength(1 + 1_200 + 2);

    const { ids, sizes } = await walk({ orderId: pia.orderId }, async () => {
      await repeat('pia', pia.key, 3);
      await recordEvents(other.orderId, 20);
    });

    const after = await storedHistory(pia.orderId);
    expect(after).toHaveLength(before.length + 6);
    expect(sizes).toEqual([500, 500, 209]);
    expect(ids).toEqual(after);
    const first = await historyPage({ orderId: pia.orderId, first: 1 });
    expect(first.body.data!.orderHistory[0]).toMatchObject({ outcome: 'created', orderId: pia.orderId });
  });

  it('newest first: the latest events, back to the creation, each once while more arrive', async () => {
    const before = await storedHistory(pia.orderId);

    const { ids, sizes } = await walk({ orderId: pia.orderId, newestFirst: true, first: 400 }, async () => {
      await repeat('pia', pia.key, 2);
    });

    expect(sizes.slice(0, -1).every((size) => size === 400)).toBe(true);
    expect(ids).toEqual([...before].reverse());
    // The events recorded during the walk are where a new one starts.
    const now = await storedHistory(pia.orderId);
    const fresh = await historyPage({ orderId: pia.orderId, newestFirst: true, first: 10 });
    expect(fresh.body.data!.orderHistory.map((event) => event.id)).toEqual(now.slice(-10).reverse());
    expect(fresh.body.data!.orderHistory[0]).toMatchObject({ outcome: 'duplicate', source: 'CACHE' });
  });

  it('docs/audit.md’s example reads the newest 50, then the 50 before them', async () => {
    const query = await docsExample('order-history-newest', 'docs/audit.md');
    const token = await fixture.server.tokenFor('ops', 'admin');
    const stored = (await storedHistory(pia.orderId)).reverse();
    type Page = { orderHistory: { id: string; outcome: string; claim: string; latencyMs: number }[] };
    const newest = await postGraphQL<Page>(fixture.server.url, query, { orderId: pia.orderId }, { token });
    const events = newest.body.data!.orderHistory;
    expect(events.map((event) => event.id)).toEqual(stored.slice(0, 50));
    const older = await postGraphQL<Page>(
      fixture.server.url,
      query,
      { orderId: pia.orderId, after: events[49].id },
      { token },
    );
    expect(older.body.data!.orderHistory.map((event) => event.id)).toEqual(stored.slice(50, 100));
  });

  it('refuses first above 500 or below 0, and an after that is not an event of this history, with BAD_USER_INPUT', async () => {
    const [otherEvent] = await storedHistory(other.orderId);
    const largest = await historyPage({ orderId: pia.orderId, first: 500 });
    expect(largest.body.data!.orderHistory).toHaveLength(500);
    for (const first of [501, -1]) {
      const refused = await historyPage({ orderId: pia.orderId, first });
      expect(refused.body.data).toBeNull();
      expect(refused.body.errors?.[0]).toMatchObject({
        message: '`first` must be from 0 to 500.',
        extensions: { code: 'BAD_USER_INPUT', field: 'first' },
      });
    }

    const badCursors = [otherEvent, 'abc', '0', '-1', '1.5', '', '9223372036854775808', '99999999999999999999'];
    for (const after of badCursors) {
      const refused = await historyPage({ orderId: pia.orderId, after });
      expect(refused.body.data).toBeNull();
      expect(refused.body.errors?.[0]).toMatchObject({
        message: "`after` must be the id of an event of this order's history.",
        extensions: { code: 'BAD_USER_INPUT', field: 'after' },
      });
    }
    // An id that is not a UUID has no history, so no event of it either.
    const noHistory = await historyPage({ orderId: 'not-an-order' });
    expect(noHistory.body).toEqual({ data: { orderHistory: [] } });
    const noEvent = await historyPage({ orderId: 'not-an-order', after: otherEvent });
    expect(noEvent.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});

describe('duplicateAttempts, a page at a time', () => {
  const ATTEMPTS = `query Attempts($orderId: ID, $first: Int, $after: ID) {
    duplicateAttempts(orderId: $orderId, first: $first, after: $after) { id outcome }
  }`;
  type Attempts = { duplicateAttempts: { id: string; outcome: string }[] };
  const attemptsPage = async (variables: Record<string, unknown>) =>
    postGraphQL<Attempts>(fixture.server.url, ATTEMPTS, variables, {
      token: await fixture.server.tokenFor('ops', 'admin'),
    });

  /** The order's attempts as the table holds them, newest first by (at, id). */
  async function storedAttempts(orderId: string): Promise<string[]> {
    const rows = await fixture.db.query<{ eventId: string }>(
      `SELECT "id"::text AS "eventId" FROM "IdempotencyAuditEvent"
        WHERE ("orderId" = $1 OR "relatedOrderId" = $1) AND "outcome" <> 'created' ORDER BY "at" DESC, "id" DESC`,
      [orderId],
    );
    return rows.map((row) => row.eventId);
  }

  it('walks every attempt once, newest first, while newer ones arrive; refuses a cursor that is not an attempt', async () => {
    const { orderId, key } = await placeOrder('attempts-ada');
    // 120 in one statement share their `at`: the id breaks the tie, across page boundaries too.
    await recordEvents(orderId, 120);
    await repeat('attempts-ada', key, 3);
    const before = await storedAttempts(orderId);
    expect(before).toHaveLength(123);

    const walked: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page = await attemptsPage({ orderId, first: 50, after });
      const ids = page.body.data!.duplicateAttempts.map((event) => event.id);
      walked.push(...ids);
      if (ids.length < 50) break;
      after = ids[ids.length - 1];
      // Newer attempts between pages land before the walk's cursor, not in its way.
      await repeat('attempts-ada', key, 1);
    }
    expect(walked).toEqual(before);

    const [created] = await fixture.db.query<{ eventId: string }>(
      `SELECT "id"::text AS "eventId" FROM "IdempotencyAuditEvent" WHERE "orderId" = $1 AND "outcome" = 'created'`,
      [orderId],
    );
    for (const bad of [created.eventId, 'abc', '0', '99999999999999999999']) {
      const refused = await attemptsPage({ orderId, after: bad });
      expect(refused.body.data).toBeNull();
      expect(refused.body.errors?.[0]).toMatchObject({
        message: '`after` must be the id of an event duplicateAttempts gave.',
        extensions: { code: 'BAD_USER_INPUT', field: 'after' },
      });
    }
  });
});
