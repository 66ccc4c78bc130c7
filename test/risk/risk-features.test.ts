import { RISK_FEATURE_NAMES, riskFeatures } from '../../src/risk/risk-features';
import { zeroCounts } from '../../src/risk/risk-counters';
import type { RiskCounts, SubjectCounters } from '../../src/risk/risk-counters';

// Counters a little below zero (a count taken back under decay removes a few 10⁻⁷ more than is left
// of it; before the take-backs were limited to counts known to have happened, a failed count taken
// back gave whole counts below zero): every feature reads them as zero, never as a negative rate.

function counters(recent: Partial<RiskCounts>, history: Partial<RiskCounts> = {}, arrivals = 0): SubjectCounters {
  return {
    arrivals: { last1m: arrivals, last10m: arrivals, last60m: arrivals },
    recent: { ...zeroCounts(), ...recent },
    history: { ...zeroCounts(), ...history },
  };
}

const featuresOf = (customer: SubjectCounters, source: SubjectCounters) => {
  const vector = riskFeatures({
    customer,
    source,
    candidate: { similarity: 0.5, equivalent: false, msSinceCandidate: 60_000 },
  });
  return Object.fromEntries(RISK_FEATURE_NAMES.map((name, i) => [name, vector[i]]));
};

describe('risk features of counters below zero', () => {
  it('are those of counters at zero', () => {
    const below = counters(
      { requests: -3.2e-7, retries: -1e-7, orders: -2.99997, holds: -2e-7 },
      { holds: -1e-7, overrides: -1e-7 },
      -1,
    );
    expect(featuresOf(below, below)).toEqual(featuresOf(counters({}), counters({})));
  });
});
