import { randomUUID } from 'node:crypto';
import { shadowReport, shadowReportMarkdown } from '../../scripts/risk-training/shadow-report';
import { seedProducts } from '../support/catalog';
import { SHIPPED_MODEL_PATH, auditDecisionsOf, placedMinutesAgo, riskMetricsOf, sendOrder } from '../support/risk';
import { withTestServer } from '../support/test-server-fixture';

/**
 * Shadow mode (RISK_MODE=shadow): the model scores every candidate and its verdict is recorded
 * (audit riskScore and riskAction, metric order_gate_risk_shadow_decisions_total) beside today's
 * rule, which decides. `risk:report` (scripts/risk-training/shadow-report.ts) compares the two on
 * the audit log.
 */

const fixture = withTestServer('risk-shadow', {
  RISK_MODEL_PATH: SHIPPED_MODEL_PATH,
  RISK_MODE: 'shadow',
  // What is recorded is under test, not the budget: a stalled event loop must not leave the model unscored.
  RISK_FEATURES_TIMEOUT_MS: '1000',
});
const cart = (extra: object = {}) => ({
  currency: 'EUR',
  channel: 'WEB',
  shippingAddress: { line1: '4 Mill Lane', city: 'Leeds', postalCode: 'LS1 4AB', country: 'GB' },
  items: [{ sku: 'SHADOW-1', quantity: 1 }],
  ...extra,
});
const customer = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;
const startedAt = new Date(Date.now() - 60_000);

async function shadowMetrics(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const value of (await fixture.server.app.services.metrics.riskShadowDecisions.get()).values)
    counts[`${value.labels['rule']}/${value.labels['model']}`] = value.value;
  return counts;
}

beforeAll(async () => {
  await seedProducts(fixture.db.url, [{ sku: 'SHADOW-1', priceCents: 250, stock: 100_000 }]);
});

describe('createOrder in shadow mode', () => {
  it("lets today's rule decide and records the model's verdict beside it; risk:report compares them", async () => {
    // 1. An instant repeat: the rule holds it (no score shown to the client), the model would hold it too.
    const ada = customer('ada');
    const adaFirst = await sendOrder(fixture.server, ada, cart());
    const adaAgain = await sendOrder(fixture.server, ada, cart());
    expect(adaAgain).toMatchObject({
      __typename: 'PossibleDuplicate',
      riskScore: null,
      candidate: { id: adaFirst.order!.id },
    });
    // She places it anyway: the rule's hold was wrong.
    const confirmed = await sendOrder(fixture.server, ada, cart({ confirmPossibleDuplicate: true }));
    expect(confirmed.__typename).toBe('OrderCreated');

    // 2. A repeat 40 minutes later: the rule (10-minute window) lets it pass; the model, looking an hour back, would hold it.
    const bea = customer('bea');
    const beaFirst = await sendOrder(fixture.server, bea, cart());
    await placedMinutesAgo(fixture.db, beaFirst.order!.id, 40);
    const beaAgain = await sendOrder(fixture.server, bea, cart());
    expect(beaAgain).toMatchObject({ __typename: 'OrderCreated', order: { possibleDuplicateOfId: null } });

    const [, adaHeld] = await auditDecisionsOf(fixture.server, fixture.db, ada);
    expect(adaHeld).toMatchObject({ outcome: 'possible_duplicate_held', similarity: 1, riskAction: 'HOLD' });
    expect(adaHeld.riskScore).toEqual(expect.any(Number));
    const [, beaPassed] = await auditDecisionsOf(fixture.server, fixture.db, bea);
    expect(beaPassed).toMatchObject({ outcome: 'created', similarity: 1, riskAction: 'HOLD' });
    expect(beaPassed.riskScore).toEqual(expect.any(Number));
    expect(await shadowMetrics()).toMatchObject({ 'hold/hold': 1, 'pass/hold': 1 });
    // The rule's decisions, as many as the comparisons: Ada's confirmation is her decision, not a second hold.
    expect((await riskMetricsOf(fixture.server)).decisions).toEqual({ 'hold/static-rule': 1, 'pass/static-rule': 1 });

    const report = await shadowReport((sql, params) => fixture.db.query(sql, params), startedAt);
    expect(report).toMatchObject({
      attempts: 2,
      agreements: 1,
      byDecision: { 'HOLD→HOLD': 1, 'PASS→HOLD': 1 },
      byChannel: { WEB: { 'HOLD→HOLD': 1, 'PASS→HOLD': 1 } },
      confirmedHolds: { HOLD: 1, FLAG: 0, PASS: 0 },
      unscored: { HOLD: 0, FLAG: 0, PASS: 0 },
      decidedByModel: { HOLD: 0, FLAG: 0, PASS: 0 },
    });
    // The rows say which mode the model was in (Ada's confirmation's too): the report compares only shadow mode's.
    const modes = await fixture.db.query<{ riskMode: string | null }>(
      `SELECT "riskMode" FROM "IdempotencyAuditEvent" WHERE "customerId" = ANY($1) AND "riskAction" IS NOT NULL`,
      [[ada, bea]],
    );
    expect(modes.map((row) => row.riskMode)).toEqual(['shadow', 'shadow', 'shadow']);
    expect(shadowReportMarkdown(report, startedAt)).toContain(
      '| HOLD | 1 | 0 | 0 |\n| FLAG | 0 | 0 | 0 |\n| PASS | 1 | 0 | 0 |',
    );
  });
});
