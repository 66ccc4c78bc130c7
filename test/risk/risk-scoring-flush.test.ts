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
describe('risk scoring at shutdown', () => {
  it('flush() writes the customers’ counts still on their way, not only the sources’', async () => {
    const model = compileRiskModel(JSON.parse(readFileSync(SHIPPED_MODEL_PATH, 'utf8'))) as RiskModel;
    const store = new MemoryRiskFeatureStore();
    const risk = new DuplicateRiskScoring(
      { current: () => model },
      store,
      DEFAULT_RISK_SCORING_OPTIONS,
      new Metrics(),
      createLogger('silent'),
    );
    risk.count({ customerId: 'hal', channel: 'WEB' }, { orders: 1 });
    await risk.flush();
    const counters = await store.record(customerSubject('hal'), {}, Date.now());
    expect(counters.recent.orders).toBeCloseTo(1, 3);
  });
});
