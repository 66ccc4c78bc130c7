import { createHash, hash } from 'node:crypto';

/** A JSON-like value, as canonical request descriptions are built from. */
export type Canonical = string | number | boolean | null | readonly Canonical[] | { readonly [key: string]: Canonical };

/**
 * What canonicalJson takes: a JSON-like value, or anything JSON.stringify writes (an object typed by
 * an interface, optional properties left undefined, a Date, a BigInt).
 */
export type CanonicalInput = Canonical | bigint | undefined | Date | object;

/**
 * JSON with object keys sorted at every level, so that two equal values always serialise to the
 * same text whatever order their properties were built in. Otherwise JSON's own rules, as
 * JSON.stringify applies them: `toJSON` first (a Date is its ISO text), undefined (and a function)
 * left out of an object and null in an array. A BigInt, on which JSON.stringify throws, is its
 * decimal text, as GraphQL answers it and replayPolicy's payload check takes it. Text that JSON
 * itself writes the same way is unchanged, so fingerprints of such payloads are too.
 */
export function canonicalJson(value: CanonicalInput): string {
  return canonicalMember(value, '') ?? 'null';
}

/** The canonical text of `value`, found under `key` (what toJSON is given); undefined where JSON leaves it out. */
function canonicalMember(value: unknown, key: string): string | undefined {
  let json = value;
  if (typeof json === 'object' && json !== null && typeof (json as { toJSON?: unknown }).toJSON === 'function')
    json = (json as { toJSON(key: string): unknown }).toJSON(key);
  if (typeof json === 'bigint') return JSON.stringify(json.toString());
  if (json === null || typeof json !== 'object') return JSON.stringify(json);
  if (Array.isArray(json))
    return `[${json.map((item: unknown, index) => canonicalMember(item, String(index)) ?? 'null').join(',')}]`;
  const record = json as Record<string, unknown>;
  const members: string[] = [];
  for (const name of Object.keys(record).sort()) {
    const member = canonicalMember(record[name], name);
    if (member !== undefined) members.push(`${JSON.stringify(name)}:${member}`);
  }
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
export function fingerprintOf(value: CanonicalInput): string {
  return sha256Hex(canonicalJson(value));
}
