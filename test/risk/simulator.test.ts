import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildTrainingSet } from '../../scripts/risk-training/training-set';
import { compareWithMatcher } from '../../scripts/risk-data';
import { attemptKey } from '../../scripts/risk-simulator/history-rows';
import { simulateHistory } from '../../scripts/risk-simulator/simulate-history';

const SIMULATOR_DIR = path.join(__dirname, '../../scripts/risk-simulator');

describe('audit-history simulator', () => {
  const simulation = simulateHistory({ seed: 11, days: 4 });
  const { auditEvents, orders } = simulation.history;

  it('is reproducible: the same seed gives the same history and truth, another seed another', () => {
    const again = simulateHistory({ seed: 11, days: 4 });
    expect(again.history).toEqual(simulation.history);
    expect([...again.truth]).toEqual([...simulation.truth]);
    expect(simulateHistory({ seed: 12, days: 4 }).history.auditEvents.length).not.toBe(auditEvents.length);
  });

  it('imports nothing of the scoring code (features, model, training)', () => {
    for (const file of readdirSync(SIMULATOR_DIR)) {
      const source = readFileSync(path.join(SIMULATOR_DIR, file), 'utf8');
      const imports = [...source.matchAll(/from '([^']+)'/g)].map((match) => match[1]);
      expect({ file, imports: imports.filter((name) => !name.startsWith('./') && !name.startsWith('node:')) }).toEqual({
        file,
        imports: [],
      });
    }
  });

  it('writes rows as the tables hold them, in time order, every order an event mentions present', () => {
    const ids = new Set(orders.map((order) => order.id));
    expect(auditEvents.map((event) => event.id)).toEqual(auditEvents.map((_, i) => i + 1));
    expect(auditEvents.every((event, i) => i === 0 || event.at >= auditEvents[i - 1].at)).toBe(true);
    for (const event of auditEvents) {
      if (event.outcome === 'possible_duplicate_held')
        expect([event.orderId, ids.has(event.relatedOrderId!)]).toEqual([null, true]);
      else expect(ids.has(event.orderId!)).toBe(true);
      if (event.outcome === 'merged') {
        const merged = orders.find((order) => order.id === event.orderId)!;
        expect([merged.status, merged.mergedIntoId]).toEqual(['CANCELLED', event.relatedOrderId]);
      }
    }
  });

  it('keeps the truth apart: one record per new-key attempt and nothing else, with every kind of sender', () => {
    const attempts = auditEvents.filter((event) =>
      ['created', 'possible_duplicate_held', 'possible_duplicate_confirmed'].includes(event.outcome),
    );
    expect(new Set(attempts.map((event) => attemptKey(event.customerId, event.idempotencyKey))).size).toBe(
      simulation.truth.size,
    );
    for (const event of attempts)
      expect(simulation.truth.has(attemptKey(event.customerId, event.idempotencyKey))).toBe(true);
    const duplicatesBy = new Set(
      [...simulation.truth.values()].filter((truth) => truth.duplicate).map((truth) => truth.actor),
    );
    expect([...duplicatesBy].sort()).toEqual(
      expect.arrayContaining(['bot', 'double-submitter', 'marketplace:quickcart', 'shopper']),
    );
    const honestRepeats = [...simulation.truth.values()].filter(
      (truth) => truth.kind === 'honest-repeat' && !truth.duplicate,
    );
    expect(honestRepeats.length).toBeGreaterThan(100);
  });

  it("agrees with the live matcher on what today's rule holds: no created order had an equivalent one within the window", () => {
    const points = buildTrainingSet(simulation.history, { compare: compareWithMatcher });
    const created = points.filter((point) => point.outcome === 'created');
    expect(created.length).toBeGreaterThan(5_000);
    expect(created.filter((point) => point.staticHold)).toEqual([]);
  });
});
