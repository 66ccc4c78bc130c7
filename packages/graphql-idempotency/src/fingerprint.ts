import { createHash } from 'node:crypto';

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

/** sha256 (hex) of a canonical request description: equal requests, equal fingerprints. */
export function fingerprintOf(value: Canonical): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}
