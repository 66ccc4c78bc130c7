import { Client } from 'pg';
import { readAuditHistory } from '../../scripts/risk-training/audit-log-reader';
import { buildTrainingSet } from '../../scripts/risk-training/training-set';
import { compareWithMatcher, verdictOf } from '../../scripts/risk-data';
import { simulateHistory } from '../../scripts/risk-simulator/simulate-history';
import type { SimulatedHistory } from '../../scripts/risk-simulator/history-rows';
import { writeHistory } from './simulated-history-db';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';

/**
 * The reader against the real tables: a simulated history is written into a scratch database's
 * Order, OrderItem and IdempotencyAuditEvent tables, read back, and must give the same training
 * set as the history in memory (without the sales source, which no column holds yet).
 */
describe('audit log reader', () => {
  let db: TestDatabase;
  let client: Client;
  const { history } = simulateHistory({ seed: 5, days: 2, match: verdictOf });
  const withoutSources: SimulatedHistory = {
    auditEvents: history.auditEvents.map((event) => ({ ...event, salesSource: null })),
    orders: history.orders.map((order) => ({ ...order, salesSource: null })),
  };

  beforeAll(async () => {
    db = await createTestDatabase('risk_reader');
    client = new Client({ connectionString: db.url });
    await client.connect();
    await writeHistory(client, history);
  }, 60_000);

  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('reads every audit event and order with its items', async () => {
    const read = await readAuditHistory(
      (sql, params) => client.query<Record<string, unknown>>(sql, params).then((result) => result.rows),
      new Date(0),
    );
    expect(read.auditEvents).toHaveLength(history.auditEvents.length);
    expect(read.orders).toHaveLength(history.orders.length);
    const first = history.orders[0];
    const firstRead = read.orders.find((order) => order.id === first.id)!;
    expect(firstRead).toMatchObject({
      customerId: first.customerId,
      channel: first.channel,
      status: first.status,
      currency: 'EUR',
      createdAt: first.createdAt,
    });
    expect([...firstRead.items].sort((a, b) => (a.sku < b.sku ? -1 : 1))).toEqual(
      [...first.items].sort((a, b) => (a.sku < b.sku ? -1 : 1)),
    );
  });

  it('gives the training set the history in memory gives', async () => {
    const read = await readAuditHistory(
      (sql, params) => client.query<Record<string, unknown>>(sql, params).then((result) => result.rows),
      new Date(0),
    );
    const fromDatabase = buildTrainingSet(read, { compare: compareWithMatcher });
    const fromMemory = buildTrainingSet(withoutSources, { compare: compareWithMatcher });
    expect(fromDatabase.length).toBeGreaterThan(1_000);
    expect(fromDatabase.filter((point) => point.features).length).toBeGreaterThan(100);
    expect(fromDatabase).toEqual(fromMemory);
  });

  it('reads from `since` on, with the orders of the hour before it for the first candidates', async () => {
    const since = history.auditEvents[Math.floor(history.auditEvents.length / 2)].at;
    const read = await readAuditHistory(
      (sql, params) => client.query<Record<string, unknown>>(sql, params).then((result) => result.rows),
      since,
    );
    expect(read.auditEvents).toHaveLength(history.auditEvents.filter((event) => event.at >= since).length);
    expect(Math.min(...read.orders.map((order) => order.createdAt.getTime()))).toBeGreaterThanOrEqual(
      since.getTime() - 3_600_000,
    );
    expect(read.orders.some((order) => order.createdAt < since)).toBe(true);
  });
});
