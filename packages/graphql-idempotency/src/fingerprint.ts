import { createHash, hash } from 'node:crypto';

/** A JSON-like value, as canonical request descriptions are built from. */
export type Canonical = string | number | boolean | null | readonly Canonical[] | { readonly [key: string]: Canonical };

/**
 * JSON with object keys sorted at every level, so that two equal values always serialise to the
 * same text whatever order their properties were built in.
 */
export function canonicalJson(value: Canonical): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as { readonly [key: string]: Canonical };
  const members = Object.keys(record)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
  return `{${members.join(',')}}`;
}

/**
 * sha256 of a text, as hex: the one-shot `crypto.hash` where Node has it (20.12, 21.7 and later;
 * no Hash object per call, about twice as fast), else a Hash. The same digest either way.
 */
const sha256Hex: (text: string) => string =
  typeof hash === 'function'
    ? (text) => hash('sha256', text, 'hex')
    : (text) => createHash('sha256').update(text).digest('hex');

/** sha256 (hex) of a canonical request description: equal requests, equal fingerprints. */
export function fingerprintOf(value: Canonical): string {
  return sha256Hex(canonicalJson(value));
}
