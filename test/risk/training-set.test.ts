import { RISK_FEATURE_NAMES } from '../../src/risk/risk-features';
import { buildTrainingSet } from '../../scripts/risk-training/training-set';
import type { AuditEventRow, OrderRow } from '../../scripts/risk-training/audit-history';
import { compareWithMatcher } from '../../scripts/risk-data';

const T0 = Date.UTC(2026, 10, 2, 9);
const at = (seconds: number) => new Date(T0 + seconds * 1_000);
const address = { line1: '12 Baker Street', city: 'London', postalCode: 'SW1A 1AA', country: 'GB' };
const feature = (features: Float64Array | null, name: (typeof RISK_FEATURE_NAMES)[number]) =>
  features![RISK_FEATURE_NAMES.indexOf(name)];

function order(id: string, seconds: number, sku: string, changes: Partial<OrderRow> = {}): OrderRow {
  return {
    id,
    customerId: 'alice',
    channel: 'WEB',
    status: 'CONFIRMED',
    currency: 'EUR',
    createdAt: at(seconds),
    updatedAt: at(seconds),
    items: [{ sku, quantity: 1 }],
    shippingAddress: address,
    mergedIntoId: null,
    possibleDuplicateOfId: null,
    ...changes,
  };
}

let serial = 0;
function event(
  outcome: string,
  seconds: number,
  key: string,
  orderId: string | null,
  relatedOrderId: string | null = null,
  similarity: number | null = null,
): AuditEventRow {
  return {
    id: ++serial,
    at: at(seconds),
    outcome,
    customerId: 'alice',
    idempotencyKey: key,
    channel: 'WEB',
    orderId,
    relatedOrderId,
    similarity,
  };
}

/**
 * Alice orders tea (A), retries it, reloads (held, then confirmed as B), reloads again (held, not
 * confirmed), orders the same tea half an hour later (C, merged later) and coffee after that (D,
 * cancelled later).
 */
const history = {
  orders: [
    order('A', 0, 'TEA-1'),
    order('B', 60, 'TEA-1', { possibleDuplicateOfId: 'A' }),
    order('C', 1_800, 'tea-1', { status: 'CANCELLED', mergedIntoId: 'A', updatedAt: at(2 * 86_400) }),
    order('D', 2_400, 'COFFEE-9', { status: 'CANCELLED', updatedAt: at(3 * 3_600) }),
  ],
  auditEvents: [
    event('created', 0, 'k-a', 'A'),
    event('duplicate', 2, 'k-a', 'A'),
    event('possible_duplicate_held', 20, 'k-2', null, 'A', 0.981),
    event('possible_duplicate_confirmed', 60, 'k-b', 'B', 'A'),
    event('possible_duplicate_held', 300, 'k-4', null, 'A', 1),
    event('created', 1_800, 'k-c', 'C'),
    event('created', 2_400, 'k-d', 'D'),
    event('merged', 2 * 86_400, 'k-c', 'C', 'A'),
  ],
};

describe('training set from an audit history', () => {
  const points = buildTrainingSet(history, { compare: compareWithMatcher });
  const byKey = new Map(points.map((point) => [point.idempotencyKey, point]));

  it('has one decision point per new-key attempt; retries, confirmations and merges are not decisions', () => {
    expect(points.map((point) => point.idempotencyKey)).toEqual(['k-a', 'k-2', 'k-4', 'k-c', 'k-d']);
  });

  it('takes a held key sent again (held again at any age) for its request retried, not a decision of its own', () => {
    // k-4 resent at 15 and 20 minutes, past the window: held again as the same request, whatever a
    // model says. The first is recognised by its key, as in logs written before the marker; the
    // second says so (`source` HELD), as the server writes it now, so it is a repeat also when the
    // replay starts after the first hold (--since).
    const resent = {
      ...history,
      auditEvents: [
        ...history.auditEvents,
        event('possible_duplicate_held', 900, 'k-4', null, 'A', 1),
        { ...event('possible_duplicate_held', 1_200, 'k-4', null, 'A', 1), source: 'HELD' },
        { ...event('possible_duplicate_held', 1_500, 'k-never-held-here', null, 'A', 1), source: 'HELD' },
      ],
    };
    const again = buildTrainingSet(resent, { compare: compareWithMatcher });
    expect(again.map((point) => point.idempotencyKey)).toEqual(['k-a', 'k-2', 'k-4', 'k-c', 'k-d']);
    // Counted as the live server counts them, as retries: k-c (at 30 min) sees no order more in
    // its hour, but three retries more.
    const kc = (set: typeof points, name: (typeof RISK_FEATURE_NAMES)[number]) =>
      feature(set.find((point) => point.idempotencyKey === 'k-c')!.features, name);
    expect(kc(again, 'customer_orders_60m')).toBe(kc(points, 'customer_orders_60m'));
    expect(kc(again, 'customer_retry_rate')).toBeGreaterThan(kc(points, 'customer_retry_rate'));
  });

  it('labels from what happened later: a confirmed hold was wanted, an unconfirmed one was a duplicate, merged and cancelled orders were duplicates', () => {
    expect(points.map((point) => [point.idempotencyKey, point.observedDuplicate])).toEqual([
      ['k-a', false],
      ['k-2', false],
      ['k-4', true],
      ['k-c', true],
      ['k-d', true],
    ]);
  });

  it("marks what today's rule did: holds are its decisions, an equivalent order 30 minutes later is not", () => {
    expect(points.map((point) => point.staticHold)).toEqual([false, true, true, false, false]);
  });

  it('finds the candidate with the matcher within the hour, the latest of equally alike ones; none for another cart', () => {
    expect(byKey.get('k-a')!.candidate).toBeNull();
    expect(byKey.get('k-4')!.candidate).toEqual({ similarity: 1, equivalent: true, msSinceCandidate: 300_000 });
    expect(byKey.get('k-c')!.candidate).toEqual({
      similarity: 1,
      equivalent: true,
      msSinceCandidate: (1_800 - 60) * 1_000,
    });
    expect(byKey.get('k-d')!.candidate).toBeNull();
    expect(byKey.get('k-d')!.features).toBeNull();
  });

  it("gives a held attempt the matcher's similarity its audit record carries, not 1; a record without one is no row", () => {
    // A log written before the verdict's column: similarity 1 alone read as equivalent, as it was then.
    expect(byKey.get('k-2')!.candidate).toEqual({ similarity: 0.981, equivalent: false, msSinceCandidate: 20_000 });
    expect(feature(byKey.get('k-2')!.features, 'similarity')).toBe(0.981);
    expect(feature(byKey.get('k-2')!.features, 'equivalent')).toBe(0);
    const unknown = {
      ...history,
      auditEvents: history.auditEvents.map((row) =>
        row.idempotencyKey === 'k-2' ? { ...row, similarity: null } : row,
      ),
    };
    const k2 = buildTrainingSet(unknown, { compare: compareWithMatcher }).find(
      (point) => point.idempotencyKey === 'k-2',
    )!;
    expect([k2.candidate, k2.features, k2.observedDuplicate]).toEqual([null, null, false]);
  });

  it("reads the matcher's verdict from the audit record, not similarity 1: a retyping equivalent, another recipient not", () => {
    const withVerdicts = {
      ...history,
      auditEvents: history.auditEvents.map((row) => {
        if (row.idempotencyKey === 'k-2') return { ...row, candidateEquivalent: true };
        if (row.idempotencyKey === 'k-4') return { ...row, candidateEquivalent: false };
        return row;
      }),
    };
    const read = new Map(
      buildTrainingSet(withVerdicts, { compare: compareWithMatcher }).map((point) => [point.idempotencyKey, point]),
    );
    expect(feature(read.get('k-2')!.features, 'similarity')).toBe(0.981);
    expect(feature(read.get('k-2')!.features, 'equivalent')).toBe(1);
    expect(feature(read.get('k-4')!.features, 'similarity')).toBe(1);
    expect(feature(read.get('k-4')!.features, 'equivalent')).toBe(0);
  });

  it('computes features from the counters as they were before the attempt', () => {
    const k4 = byKey.get('k-4')!.features;
    // Before k-4 (at 5 min): A, k-2 and B arrived, none in the last minute.
    expect([
      feature(k4, 'customer_orders_1m'),
      feature(k4, 'customer_orders_10m'),
      feature(k4, 'customer_orders_60m'),
    ]).toEqual([0, Math.log1p(3), Math.log1p(3)]);
    // One hold so far, and it was overridden: a higher override share than k-2 saw (none yet).
    expect(feature(k4, 'customer_override_rate')).toBeGreaterThan(
      feature(byKey.get('k-2')!.features, 'customer_override_rate'),
    );
    // Retries over requests, with half an event over two as the prior: 1 of 2 before k-2, 1 of 4 before k-4 (minutes of decay aside).
    expect(feature(byKey.get('k-2')!.features, 'customer_retry_rate')).toBeCloseTo(1.5 / 4, 3);
    expect(feature(k4, 'customer_retry_rate')).toBeCloseTo(1.5 / 6, 2);
    expect(feature(k4, 'time_since_candidate')).toBeCloseTo(Math.log1p(300) / Math.log1p(3_600), 12);
    expect(feature(k4, 'equivalent')).toBe(1);
  });

  it('takes the lifecycle mutations’ rows for no order attempt (their outcome is `created` too, their customer the actor)', () => {
    const lifecycle = (operation: string, seconds: number, key: string, orderId: string): AuditEventRow => ({
      ...event('created', seconds, key, orderId),
      customerId: 'ops-admin',
      operation,
    });
    const withLifecycle = {
      ...history,
      auditEvents: [
        ...history.auditEvents,
        lifecycle('cancelOrder', 3 * 3_600, 'k-cancel-d', 'D'),
        lifecycle('refundOrder', 3 * 3_600 + 10, 'k-refund-b', 'B'),
      ],
    };
    const again = buildTrainingSet(withLifecycle, { compare: compareWithMatcher });
    expect(again.map((point) => point.idempotencyKey)).toEqual(['k-a', 'k-2', 'k-4', 'k-c', 'k-d']);
    expect(again.map((point) => point.features)).toEqual(points.map((point) => point.features));
  });
});
