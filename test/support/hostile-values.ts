import fc from 'fast-check';

/** Keys that trip naive object handling (prototype pollution, shadowed methods) and an order's field names. */
export const hostileKeys = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'items',
  'sku',
  'quantity',
  'currency',
  'channel',
  'orderToken',
];

/** Text of every kind: graphemes, raw code units (lone surrogates), and classic injection strings. */
export const hostileString = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 64 }),
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.constantFrom(
    '',
    '\u0000',
    '\uFFFF',
    '\uD800',
    '💥'.repeat(200),
    '{"$gt": ""}',
    "' OR 1=1 --",
    '${jndi:ldap://x}',
    '../../etc/passwd',
    'NaN',
    '-0',
    '1e309',
  ),
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

/**
 * The seed of a fuzz suite: `fixed` unless FUZZ_SEED says otherwise (an integer, e.g. one a failing
 * run printed, or `random` for a fresh one), so that every run, CI's included, sends the same requests.
 */
export function fuzzSeed(fixed: number, setting: string | undefined = process.env['FUZZ_SEED']): number {
  if (setting === undefined || setting === '') return fixed;
  if (setting === 'random') return Date.now() % 2_147_483_647;
  if (!/^-?\d+$/.test(setting))
    throw new Error(`FUZZ_SEED must be an integer or "random", not ${JSON.stringify(setting)}`);
  return Number(setting);
}
