import fc from 'fast-check';

/** Keys that trip naive object handling (prototype pollution, shadowed methods) and an order's field names. */
export const hostileKeys = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'items', 'sku', 'quantity', 'currency', 'channel', 'orderToken'];

/** Text of every kind: graphemes, raw code units (lone surrogates), and classic injection strings. */
export const hostileString = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 64 }),
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.constantFrom('', '\u0000', '\uFFFF', '\uD800', '💥'.repeat(200), '{"$gt": ""}', "' OR 1=1 --", '${jndi:ldap://x}', '../../etc/passwd', 'NaN', '-0', '1e309'),
);

/** Any JSON value, nested a little, whose objects use `keys` and whose strings are hostile. */
export function hostileValueWith(keys: readonly string[]): fc.Arbitrary<unknown> {
  return fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      hostileString,
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(fc.constantFrom(...keys), tie('value'), { maxKeys: 4 }),
    ),
  })).value;
}

export const hostileValue = hostileValueWith(hostileKeys);
