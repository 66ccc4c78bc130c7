import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { canonicalJson, fingerprintOf } from '../src';
import type { Canonical } from '../src';

// JSON-like values as fingerprints are built from, with hostile keys (__proto__, "") included.
const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('__proto__', 'constructor', '', 'a', 'b'));
const canonical: fc.Arbitrary<Canonical> = fc.letrec<{ value: Canonical }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ maxLength: 8 }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 4, noNullPrototype: true }),
  ),
})).value;

/** The same value with every object's keys in reverse order. */
function reordered(value: Canonical): Canonical {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(reordered);
  const record = value as { readonly [key: string]: Canonical };
  const entries = Object.keys(record)
    .reverse()
    .map((name) => [name, reordered(record[name])] as const);
  // defineProperty keeps a "__proto__" key as an own property, as JSON.parse makes it.
  const copy = {};
  for (const [name, member] of entries) Object.defineProperty(copy, name, { value: member, enumerable: true });
  return copy;
}

describe('canonical JSON and fingerprints (properties)', () => {
  it('do not depend on the order in which object keys were added', () => {
    fc.assert(
      fc.property(
        canonical,
        (value) =>
          canonicalJson(reordered(value)) === canonicalJson(value) &&
          fingerprintOf(reordered(value)) === fingerprintOf(value),
      ),
    );
  });

  it('are equal exactly when the values are equal', () => {
    fc.assert(
      // Small values collide often, so both outcomes get exercised.
      fc.property(canonical, canonical, (a, b) => (canonicalJson(a) === canonicalJson(b)) === isDeepStrictEqual(a, b)),
      { numRuns: 2_000 },
    );
  });

  it('round-trip through JSON.parse and are a 64-digit hex sha256', () => {
    fc.assert(
      fc.property(canonical, (value) => {
        const text = canonicalJson(value);
        return canonicalJson(JSON.parse(text) as Canonical) === text && /^[0-9a-f]{64}$/.test(fingerprintOf(value));
      }),
    );
  });

  it('are the sha256 a Hash object gives (one-shot crypto.hash where Node has it, the same digest)', () => {
    fc.assert(
      fc.property(
        canonical,
        (value) => fingerprintOf(value) === createHash('sha256').update(canonicalJson(value)).digest('hex'),
      ),
    );
  });
});
