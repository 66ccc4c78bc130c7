import { canonicalJson, fingerprintOf, replayPolicy } from '../src';

// canonicalJson wrote `{"a":1,"b":undefined}` (not JSON, and another fingerprint than `{a:1}`),
// `[1,]` for `[1, undefined]`, `{}` for a Date, and threw on a BigInt, which replayPolicy's payload
// check takes as its decimal text. It now follows JSON's rules, as replayPolicy does.
interface Order {
  sku: string;
  note?: string;
}

describe('canonicalJson and fingerprintOf', () => {
  it("keep the fingerprint of a plain payload (pinned before undefined, BigInt and Date were JSON's)", () => {
    const payload = {
      title: 'Printer on fire',
      quantity: 2,
      price: 10.5,
      tags: ['a', 'b'],
      nested: { z: null, a: true, é: '' },
    };
    expect(fingerprintOf(payload)).toBe('b4a19a7419cf7b311d034b6a84e6c4461eb614b96c2e94c4f4080879bbe68419');
  });

  it("follow JSON's rules for undefined: left out of an object, null in an array", () => {
    expect(canonicalJson({ b: undefined, a: 1 })).toBe('{"a":1}');
    expect(fingerprintOf({ a: 1, b: undefined })).toBe(fingerprintOf({ a: 1 }));
    expect(canonicalJson([1, undefined])).toBe('[1,null]');
  });

  it('write a BigInt as its decimal text and a Date as its ISO text', () => {
    expect(canonicalJson({ amount: 12345678901234567890n })).toBe('{"amount":"12345678901234567890"}');
    expect(canonicalJson({ at: new Date(Date.UTC(2026, 11, 5)) })).toBe('{"at":"2026-12-05T00:00:00.000Z"}');
  });

  it('fingerprint a payload as replayPolicy does (its fingerprint pinned before this change)', () => {
    const payload = {
      amount: 12345678901234567890n,
      at: new Date(Date.UTC(2026, 11, 5)),
      list: [1, undefined],
      skip: undefined,
    };
    const prepared = replayPolicy('pinned', { scope: () => '' }).prepare({ idempotencyKey: 'k', ...payload }, {}, 'k');
    const pinned = '589a9ad6af78cbcd95f53fbe9848e09d9c23e04fd09bd6cdd72613b5f6a698d1';
    expect(prepared).toMatchObject({ fingerprint: pinned });
    expect(fingerprintOf(payload)).toBe(pinned);
  });

  it('take interface-typed objects with optional properties', () => {
    const order: Order = { sku: 'A-1' };
    expect(canonicalJson(order)).toBe('{"sku":"A-1"}');
    expect(fingerprintOf({ order, orders: [order] })).toBe(
      fingerprintOf({ order: { sku: 'A-1' }, orders: [{ sku: 'A-1' }] }),
    );
  });
});
