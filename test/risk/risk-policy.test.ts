import { decideRisk } from '../../src/risk/risk-policy';
import type { ChannelDuplicatePolicy, DecisionCandidate, RiskDecisionInput } from '../../src/risk/risk-policy';

const thresholds = { holdAtScore: 0.6, flagAtScore: 0.2 };
const equivalentInWindow: DecisionCandidate = { equivalent: true, withinStaticWindow: true };
const decide = (input: Partial<RiskDecisionInput>) =>
  decideRisk({ channelPolicy: 'HOLD', candidate: equivalentInWindow, score: null, thresholds, ...input });

describe('duplicate-risk policy', () => {
  describe("without a model (no score): today's rule, unchanged", () => {
    it.each<[ChannelDuplicatePolicy, string]>([
      ['HOLD', 'HOLD'],
      ['FLAG', 'FLAG'],
      ['OFF', 'PASS'],
    ])('an equivalent order within the window on a %s channel → %s', (channelPolicy, action) => {
      expect(decide({ channelPolicy }).action).toBe(action);
    });

    it.each<[string, DecisionCandidate | null]>([
      ['no candidate', null],
      ['a candidate that is only similar', { equivalent: false, withinStaticWindow: true }],
      ['an equivalent candidate older than the window', { equivalent: true, withinStaticWindow: false }],
    ])('%s → PASS', (_, candidate) => {
      expect(decide({ candidate })).toEqual({ action: 'PASS', reason: 'no-candidate', score: null });
    });

    it('names the static rule as the reason', () => {
      expect(decide({})).toEqual({ action: 'HOLD', reason: 'static-rule', score: null });
    });
  });

  describe('with a score: the thresholds decide, the channel policy is the ceiling', () => {
    it.each<[ChannelDuplicatePolicy, number, string]>([
      ['HOLD', 0.9, 'HOLD'],
      ['HOLD', 0.6, 'HOLD'],
      ['HOLD', 0.59, 'FLAG'],
      ['HOLD', 0.2, 'FLAG'],
      ['HOLD', 0.19, 'PASS'],
      ['FLAG', 0.9, 'FLAG'],
      ['FLAG', 0.3, 'FLAG'],
      ['FLAG', 0.1, 'PASS'],
      ['OFF', 0.99, 'PASS'],
    ])('a %s channel, score %d → %s', (channelPolicy, score, action) => {
      expect(decide({ channelPolicy, score }).action).toBe(action);
    });

    it('lets the model act on a candidate the static rule would not (only similar, or older than the window)', () => {
      expect(decide({ candidate: { equivalent: false, withinStaticWindow: false }, score: 0.95 })).toEqual({
        action: 'HOLD',
        reason: 'model',
        score: 0.95,
      });
    });

    it('lets an equivalent order within the window pass when the model says it is honest', () => {
      expect(decide({ score: 0.01 })).toEqual({ action: 'PASS', reason: 'model', score: 0.01 });
    });

    it('looks at nothing on an OFF channel, whatever the score', () => {
      expect(decide({ channelPolicy: 'OFF', score: 0.99 })).toEqual({
        action: 'PASS',
        reason: 'policy-off',
        score: null,
      });
    });
  });
});

describe('the guard rail (an equivalent candidate younger than RISK_MIN_HOLD_MS)', () => {
  it.each<[ChannelDuplicatePolicy, number, string, string]>([
    ['HOLD', 0.01, 'FLAG', 'guard-rail'],
    ['HOLD', 0.3, 'FLAG', 'model'],
    ['HOLD', 0.9, 'HOLD', 'model'],
    ['FLAG', 0.01, 'FLAG', 'guard-rail'],
  ])(
    'on a %s channel a score of %s → %s (%s): softened to FLAG at most, never to PASS',
    (channelPolicy, score, action, reason) => {
      expect(decide({ channelPolicy, score, guarded: true })).toEqual({ action, reason, score });
    },
  );

  it('does not apply without it: a low score passes', () => {
    expect(decide({ score: 0.01, guarded: false })).toEqual({ action: 'PASS', reason: 'model', score: 0.01 });
  });

  it('never looks at an OFF channel', () => {
    expect(decide({ channelPolicy: 'OFF', score: 0.01, guarded: true }).action).toBe('PASS');
  });
});
