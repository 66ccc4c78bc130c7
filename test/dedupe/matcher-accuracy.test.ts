import { evaluateMatcher } from '../fixtures/evaluate-matcher';
import { generateOrderStream } from '../fixtures/order-stream';

describe('matcher accuracy on a seeded, labelled stream', () => {
  it('keeps the false-positive rate under 0.1% and recall at 99% or more on 20,000+ orders', () => {
    const stream = generateOrderStream({ seed: 20_261_122, size: 25_000 });
    const kinds: Record<string, number> = {};
    for (const order of stream) kinds[order.kind] = (kinds[order.kind] ?? 0) + 1;
    const evaluation = evaluateMatcher(stream);
    console.log(`matcher accuracy: ${JSON.stringify({ ...evaluation, kinds })}`);

    expect(evaluation.orders).toBeGreaterThanOrEqual(20_000);
    // Every scenario is present in numbers, or the rates below would say little.
    for (const kind of ['retry', 'reload', 'reformatted-address', 'reformatted-skus', 'reordered-lines', 'weekly-reorder',
      'different-quantities', 'different-address', 'household', 'same-cart-other-customer']) {
      expect(kinds[kind]).toBeGreaterThan(200);
    }
    expect(evaluation.falsePositiveRate).toBeLessThan(0.001);
    expect(evaluation.recall).toBeGreaterThanOrEqual(0.99);
  });

  it('is deterministic: the same seed gives the same stream', () => {
    const a = generateOrderStream({ seed: 7, size: 500 });
    const b = generateOrderStream({ seed: 7, size: 500 });
    expect(b).toEqual(a);
    expect(generateOrderStream({ seed: 8, size: 500 })).not.toEqual(a);
  });
});
