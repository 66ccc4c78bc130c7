import { randomUUID } from 'node:crypto';
import { compareWithMatcher } from '../../scripts/risk-data';
import { readAuditHistory } from '../../scripts/risk-training/audit-log-reader';
import { buildTrainingSet } from '../../scripts/risk-training/training-set';
import * as features from '../../src/risk/risk-features';
import { RISK_FEATURE_NAMES } from '../../src/risk/risk-features';
import { seedProducts } from '../support/catalog';
import { SHIPPED_MODEL_PATH, auditDecisionsOf, sendOrder } from '../support/risk';
import { withTestServer } from '../support/test-server-fixture';

/**
 * No skew between training and serving: one order pair goes through the live createOrder path
 * (its feature vector taken from the one feature function as the server calls it) and then, read
 * back from the same database's audit log and orders, through training's replay. Both must give
 * the same vector: exactly, the similarity and the candidate's age included (the audit record
 * carries what the live decision measured), but for the rates of decayed counters, decayed to the
 * placement's clock live and to the audit record's in training (1e-4).
 */

const fixture = withTestServer('risk-parity', {
  RISK_MODEL_PATH: SHIPPED_MODEL_PATH,
  SEMANTIC_DUPLICATE_POLICY: 'HOLD,MOBILE:FLAG',
  // Parity of the vectors is under test, not the budget: a stalled event loop must not leave the rule to decide.
  RISK_FEATURES_TIMEOUT_MS: '1000',
});
const first = { line1: '221B Baker Street', line2: 'Flat 4', city: 'London', postalCode: 'NW1 6XE', country: 'GB' };
const retyped = { ...first, line1: '221B Bkaer Stret', city: 'Lodnon' };
const forAnn = { ...first, name: 'Ann Hughes' };
const forBob = { ...first, name: 'Bob Hughes' };
const cart = (channel: string, shippingAddress: object) => ({
  currency: 'EUR',
  channel,
  shippingAddress,
  items: [{ sku: 'PARITY-1', quantity: 1 }],
});
/** Rates of decayed counters: decayed to the placement's clock live, to the audit record's in training. */
const DECAYED = new Set<string>([
  'customer_retry_rate',
  'customer_hold_rate',
  'customer_override_rate',
  'source_retry_rate',
  'source_hold_rate',
]);
const startedAt = new Date(Date.now() - 60_000);

beforeAll(async () => {
  await seedProducts(fixture.db.url, [{ sku: 'PARITY-1', priceCents: 500, stock: 100_000 }]);
});

afterEach(() => jest.restoreAllMocks());

describe('the risk features of one order pair, live and in training', () => {
  it.each([
    [
      'a retyped repeat held (WEB, HOLD)',
      'WEB',
      first,
      retyped,
      { outcome: 'possible_duplicate_held', similarity: 0.981, candidateEquivalent: true },
    ],
    [
      'a retyped repeat flagged and created (MOBILE, FLAG)',
      'MOBILE',
      first,
      retyped,
      { outcome: 'possible_duplicate_flagged', similarity: 0.981, candidateEquivalent: true },
    ],
    // As alike as a re-send (similarity 1) and another order: the matcher's verdict, not similarity 1, is the feature.
    [
      'a parcel for another recipient sharing the surname (WEB, HOLD)',
      'WEB',
      forAnn,
      forBob,
      { similarity: 1, candidateEquivalent: false },
    ],
  ])('are the same vector for %s', async (_, channel, firstAddress, secondAddress, recordedAs) => {
    const who = `parity-${randomUUID().slice(0, 8)}`;
    await sendOrder(fixture.server, who, cart(channel, firstAddress));
    // The source's counters are read by each process at most once a second: let them catch up.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const live = jest.spyOn(features, 'riskFeatures');
    const key = `parity-${randomUUID()}`;
    await sendOrder(fixture.server, who, cart(channel, secondAddress), key);
    expect(live).toHaveBeenCalledTimes(1);
    const liveVector = live.mock.results[0].value as Float64Array;
    const [, recorded] = await auditDecisionsOf(fixture.server, fixture.db, who);
    expect(recorded).toMatchObject(recordedAs);
    expect(liveVector[RISK_FEATURE_NAMES.indexOf('equivalent')]).toBe(recordedAs.candidateEquivalent ? 1 : 0);

    const history = await readAuditHistory((sql, params) => fixture.db.query(sql, params), startedAt);
    const point = buildTrainingSet(history, { compare: compareWithMatcher }).find(
      (candidate) => candidate.customerId === who && candidate.idempotencyKey === key,
    );
    expect(point?.features).toBeInstanceOf(Float64Array);
    const trained = point!.features!;

    RISK_FEATURE_NAMES.forEach((name, i) => {
      if (DECAYED.has(name))
        expect({ name, value: trained[i] }).toEqual({ name, value: expect.closeTo(liveVector[i], 4) as number });
      else expect({ name, value: trained[i] }).toEqual({ name, value: liveVector[i] });
    });
  });
});
