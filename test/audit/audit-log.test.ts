import { randomUUID } from 'node:crypto';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { seedProducts } from '../support/catalog';
import { postGraphQL } from '../support/graphql-client';
import { CREATE_ORDER } from '../support/operations';
import { freePort } from '../support/redis-server';
import { startTestServer } from '../support/server';
import type { TestServer } from '../support/server';

type Result = { __typename: string; order?: { id: string }; originalOrder?: { id: string } };
interface AuditRow extends Record<string, unknown> {
  outcome: string;
  source: string | null;
  claim: string;
  customerId: string | null;
  idempotencyKey: string;
  fingerprint: string | null;
  channel: string | null;
  orderId: string | null;
  requestId: string | null;
  latencyMs: number;
}

const AUDIT_FIELDS =
  'id at outcome source claim customerId idempotencyKey fingerprint channel orderId relatedOrderId requestId latencyMs';
const DUPLICATE_ATTEMPTS = `query ($customerId: ID, $orderId: ID, $since: DateTime, $first: Int) {
  duplicateAttempts(customerId: $customerId, orderId: $orderId, since: $since, first: $first) { ${AUDIT_FIELDS} } }`;
const ORDER_HISTORY = `query ($orderId: ID!) { orderHistory(orderId: $orderId) { ${AUDIT_FIELDS} } }`;

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('audit_log');
  await seedProducts(db.url, [{ sku: 'AUDIT-1', priceCents: 100, stock: 10_000 }]);
});

afterAll(async () => {
  await db?.drop();
});

async function send(server: TestServer, token: string, key: string, input: object): Promise<Result> {
  const response = await postGraphQL<{ createOrder: Result }>(server.url, CREATE_ORDER, { key, input }, { token });
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.createOrder;
}

function auditRowsOf(customerId: string): Promise<AuditRow[]> {
  return db.query<AuditRow>('SELECT * FROM "IdempotencyAuditEvent" WHERE "customerId" = $1 ORDER BY "at", "id"', [
    customerId,
  ]);
}

const input = (quantity: number) => ({ currency: 'EUR', channel: 'MOBILE', items: [{ sku: 'AUDIT-1', quantity }] });

describe('the audit log table', () => {
  it('rejects UPDATE, DELETE and TRUNCATE in the database itself, and keeps the row as written', async () => {
    await db.query(
      `INSERT INTO "IdempotencyAuditEvent" ("at", "outcome", "claim", "customerId", "idempotencyKey", "latencyMs")
       VALUES (now(), 'created', 'claimed', 'immutable-customer', 'key-immutable', 1.5)`,
    );
    await expect(db.query(`UPDATE "IdempotencyAuditEvent" SET "outcome" = 'duplicate'`)).rejects.toThrow(
      /append-only: UPDATE/,
    );
    await expect(db.query(`DELETE FROM "IdempotencyAuditEvent"`)).rejects.toThrow(/append-only: DELETE/);
    await expect(db.query(`TRUNCATE "IdempotencyAuditEvent"`)).rejects.toThrow(/append-only: TRUNCATE/);
    const rows = await auditRowsOf('immutable-customer');
    expect(rows.map((row) => [row.outcome, row.idempotencyKey])).toEqual([['created', 'key-immutable']]);
  });
});

describe('recording decisions', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(db.url, 'audit-decisions');
  });
  afterAll(() => server?.stop());

  it('records created, duplicate, reused and invalid_key with customer, key, fingerprint, channel, order and request id', async () => {
    const token = await server.tokenFor('audit-alice');
    const key = `key-${randomUUID()}`;
    const created = await send(server, token, key, input(1));
    const orderId = created.order!.id;
    expect(await send(server, token, key, input(1))).toMatchObject({ __typename: 'DuplicateDetected' });
    expect(await send(server, token, key, input(2))).toMatchObject({ __typename: 'IdempotencyKeyReused' });
    expect(await send(server, token, 'bad key!', input(1))).toMatchObject({ __typename: 'InvalidIdempotencyKey' });
    await server.app.services.auditLog.flush();

    const rows = (await auditRowsOf('audit-alice')).filter((row) => row.idempotencyKey === key);
    expect(rows.map((row) => [row.outcome, row.source, row.claim, row.orderId])).toEqual([
      ['created', null, 'claimed', orderId],
      ['duplicate', 'CACHE', 'held', orderId],
      ['reused', null, 'held', null],
    ]);
    for (const row of rows) {
      expect(row).toMatchObject({ idempotencyKey: key, channel: 'MOBILE' });
      expect(row.fingerprint).toMatch(/^[0-9a-f]{64}$/);
      expect(row.requestId).toEqual(expect.any(String));
      expect(row.latencyMs).toBeGreaterThan(0);
    }
    // A malformed key is decided before the request is read: no fingerprint, but its sender is known.
    const [invalid] = await db.query<AuditRow>(
      `SELECT * FROM "IdempotencyAuditEvent" WHERE "idempotencyKey" = 'bad key!'`,
    );
    expect(invalid).toMatchObject({
      outcome: 'invalid_key',
      claim: 'none',
      customerId: 'audit-alice',
      fingerprint: null,
    });
  });

  it('records a key holding a NUL or half a surrogate pair as U+FFFD, and every decision after it', async () => {
    const token = await server.tokenFor('audit-nul');
    for (const bad of ['abcdefgh\u0000', 'abcdefgh\ud83d'])
      expect(await send(server, token, bad, input(1))).toMatchObject({ __typename: 'InvalidIdempotencyKey' });
    const key = `key-${randomUUID()}`;
    await send(server, token, key, input(1));
    await send(server, token, key, input(1));
    await server.app.services.auditLog.flush();

    expect(server.app.services.auditLog.pending).toBe(0);
    const rows = await db.query<AuditRow>(
      `SELECT * FROM "IdempotencyAuditEvent" WHERE "idempotencyKey" IN ('abcdefgh\uFFFD', $1) ORDER BY "at", "id"`,
      [key],
    );
    expect(rows.map((row) => [row.outcome, row.idempotencyKey])).toEqual([
      ['invalid_key', 'abcdefgh\uFFFD'],
      ['invalid_key', 'abcdefgh\uFFFD'],
      ['created', key],
      ['duplicate', key],
    ]);
  });

  it('answers duplicateAttempts and orderHistory to admins only', async () => {
    const token = await server.tokenFor('audit-bob');
    const admin = await server.tokenFor('ops', 'admin');
    const key = `key-${randomUUID()}`;
    const orderId = (await send(server, token, key, input(3))).order!.id;
    await send(server, token, key, input(3));
    await send(server, token, key, input(3));
    await server.app.services.auditLog.flush();

    const attempts = await postGraphQL<{ duplicateAttempts: AuditRow[] }>(
      server.url,
      DUPLICATE_ATTEMPTS,
      { customerId: 'audit-bob' },
      { token: admin },
    );
    expect(attempts.body.errors).toBeUndefined();
    expect(attempts.body.data!.duplicateAttempts.map((event) => [event.outcome, event.orderId])).toEqual([
      ['duplicate', orderId],
      ['duplicate', orderId],
    ]);
    const byOrder = await postGraphQL<{ duplicateAttempts: AuditRow[] }>(
      server.url,
      DUPLICATE_ATTEMPTS,
      { orderId, first: 1 },
      { token: admin },
    );
    expect(byOrder.body.data!.duplicateAttempts).toHaveLength(1);
    const future = await postGraphQL<{ duplicateAttempts: AuditRow[] }>(
      server.url,
      DUPLICATE_ATTEMPTS,
      { customerId: 'audit-bob', since: new Date(Date.now() + 60_000).toISOString() },
      { token: admin },
    );
    expect(future.body.data!.duplicateAttempts).toEqual([]);
    // An empty customer id is a customer nobody is, not "every customer" (found from outside).
    const empty = await postGraphQL<{ duplicateAttempts: AuditRow[] }>(
      server.url,
      DUPLICATE_ATTEMPTS,
      { customerId: '' },
      { token: admin },
    );
    expect(empty.body.data!.duplicateAttempts).toEqual([]);

    const history = await postGraphQL<{ orderHistory: AuditRow[] }>(
      server.url,
      ORDER_HISTORY,
      { orderId },
      { token: admin },
    );
    expect(history.body.data!.orderHistory.map((event) => event.outcome)).toEqual([
      'created',
      'duplicate',
      'duplicate',
    ]);

    const forbidden = await postGraphQL(server.url, ORDER_HISTORY, { orderId }, { token });
    expect(forbidden.body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });
});

describe('losing nothing', () => {
  it('writes every buffered decision on graceful shutdown, even when the background writer never ran', async () => {
    // The timer would first fire in an hour: only stop() can have written these.
    const server = await startTestServer(db.url, 'audit-shutdown', {
      AUDIT_FLUSH_INTERVAL_MS: '3600000',
      ORDER_RATE_LIMIT: '1000/1',
    });
    const token = await server.tokenFor('audit-carol');
    await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        send(server, token, `key-shutdown-${index % 20}-${randomUUID().slice(0, 4)}`, input(1)),
      ),
    );
    // A created order's record committed with the order, a hold's with its held order; every other decision is still buffered.
    const durable = await auditRowsOf('audit-carol');
    expect(durable.length).toBeGreaterThan(0);
    expect(durable.every((row) => ['created', 'possible_duplicate_held'].includes(row.outcome))).toBe(true);
    expect(server.app.services.auditLog.pending).toBe(40 - durable.length);
    await server.stop();
    expect(await auditRowsOf('audit-carol')).toHaveLength(40);
  });

  it('records decisions while Redis is unreachable (claim "unavailable"), as the audit log does not use Redis', async () => {
    const server = await startTestServer(db.url, 'audit-no-redis', {
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
    });
    const token = await server.tokenFor('audit-dave');
    const key = `key-${randomUUID()}`;
    const results = await Promise.all(Array.from({ length: 10 }, () => send(server, token, key, input(1))));
    await server.stop();
    const rows = await auditRowsOf('audit-dave');
    expect(rows).toHaveLength(10);
    expect(rows.filter((row) => row.outcome === 'created')).toHaveLength(1);
    expect(rows.filter((row) => row.outcome === 'duplicate' && row.source === 'DATABASE')).toHaveLength(9);
    expect(new Set(rows.map((row) => row.claim))).toEqual(new Set(['unavailable']));
    expect(results.filter((result) => result.__typename === 'OrderCreated')).toHaveLength(1);
  });
});
