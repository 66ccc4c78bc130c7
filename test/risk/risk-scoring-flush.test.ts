import { readFileSync } from 'node:fs';
import { createLogger } from '../../src/observability/logger';
import { Metrics } from '../../src/observability/metrics';
import { MemoryRiskFeatureStore } from '../../src/risk/memory-risk-feature-store';
import { customerSubject } from '../../src/risk/risk-counters';
import { compileRiskModel } from '../../src/risk/risk-model';
import type { RiskModel } from '../../src/risk/risk-model';
import { DEFAULT_RISK_SCORING_OPTIONS, DuplicateRiskScoring } from '../../src/risk/risk-scoring';
import { SHIPPED_MODEL_PATH } from '../support/risk';

// The ordering of a shutdown, with the in-memory store (pure logic): a customer's count is sent on
// the event loop's next turn, so a flush right after it must wait for it, or Redis closes first.
/** Scoring with the shipped model and its counters in memory. */
function scoringInMemory(): { risk: DuplicateRiskScoring; store: MemoryRiskFeatureStore } {
  const model = compileRiskModel(JSON.parse(readFileSync(SHIPPED_MODEL_PATH, 'utf8'))) as RiskModel;
  const store = new MemoryRiskFeatureStore();
  const risk = new DuplicateRiskScoring(
    { current: () => model },
    store,
    DEFAULT_RISK_SCORING_OPTIONS,
    new Metrics(),
    createLogger('silent'),
  );
  return { risk, store };
}

describe('risk scoring: what it sends, at shutdown and when an attempt is taken back', () => {
  it('flush() writes the customers’ counts still on their way, not only the sources’', async () => {
    const { risk, store } = scoringInMemory();
    risk.count({ customerId: 'hal', channel: 'WEB' }, { orders: 1 });
    await risk.flush();
    const counters = await store.record(customerSubject('hal'), {}, Date.now());
    expect(counters.recent.orders).toBeCloseTo(1, 3);
  });

  it('takes an attempt back once, whether placement or its decision asks, or both', async () => {
    const { risk, store } = scoringInMemory();
    const assessment = risk.begin({ customerId: 'ida', channel: 'WEB', arrivalId: 'arrival-1' })!;
    await assessment.scorer;
    assessment.withdraw({ requests: 1 });
    assessment.takeBackWithDecision().withCounts({ requests: 1 });
    await risk.flush();
    const counters = await store.record(customerSubject('ida'), {}, Date.now());
    // Counted once as it arrived (1 request, 1 order), taken back once with the request it was.
    expect(counters.recent.orders).toBeCloseTo(0, 3);
    expect(counters.recent.requests).toBeCloseTo(1, 3);
  });
});
