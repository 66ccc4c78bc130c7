/**
 * The compact text of a completed claim (version 2), what Redis keeps for every completed key for
 * the retention time. Fields joined by NUL, which no stored text holds (a NUL in a key, SKU or
 * address is refused at the door): `c2`, the fingerprint (sha256 hex as 43 base64url characters),
 * the resource id (a UUID as 22), firstSeenAt in base 36, the replay's kind (`` none, `s` text
 * kept as it is, `j` JSON) and the replay itself, last. The customer and the key are the Redis
 * key's name already: never repeated in the value. A claim whose fingerprint or id has another
 * shape is written as version 1 (JSON), which stays readable (rolling upgrades read both).
 */
export const COMPACT_CLAIM_PREFIX = 'c2\u0000';

export const FIELD_SEPARATOR = '\u0000';

/** What version 2 keeps of a completed claim (claim-store.ts's CompletedClaim without its state). */
export interface CompactClaimFields {
  fingerprint: string;
  resourceId: string;
  firstSeenAt: number;
  replay?: unknown;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A lowercase UUID as 22 base64url characters; undefined for anything else. */
export function packUuid(uuid: string): string | undefined {
  return UUID.test(uuid) ? Buffer.from(uuid.replaceAll('-', ''), 'hex').toString('base64url') : undefined;
}

export function unpackUuid(packed: string): string {
  const hex = Buffer.from(packed, 'base64url').toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Version 2 of a completed claim; undefined when it does not fit (then version 1 is written). */
export function encodeCompactClaim(record: CompactClaimFields): string | undefined {
  const resourceId = packUuid(record.resourceId);
  if (!resourceId || !SHA256_HEX.test(record.fingerprint) || !Number.isSafeInteger(record.firstSeenAt))
    return undefined;
  const { replay } = record;
  const [kind, text] =
    replay === undefined ? ['', ''] : typeof replay === 'string' ? ['s', replay] : ['j', JSON.stringify(replay)];
  return [
    'c2',
    Buffer.from(record.fingerprint, 'hex').toString('base64url'),
    resourceId,
    record.firstSeenAt.toString(36),
    kind,
    text,
  ].join(FIELD_SEPARATOR);
}

/** Reads version 2 (text starting with COMPACT_CLAIM_PREFIX); throws on a malformed value. */
export function decodeCompactClaim(text: string): CompactClaimFields {
  const fields = text.split(FIELD_SEPARATOR);
  if (fields.length < 6) throw new Error('The claim store holds a malformed compact claim.');
  const [, fingerprint, resourceId, firstSeenAt, kind] = fields;
  // The replay is last and may itself be made of NUL-separated fields: everything after the fifth separator.
  const replayText = fields.slice(5).join(FIELD_SEPARATOR);
  const record: CompactClaimFields = {
    fingerprint: Buffer.from(fingerprint, 'base64url').toString('hex'),
    resourceId: unpackUuid(resourceId),
    firstSeenAt: parseInt(firstSeenAt, 36),
  };
  if (kind === 's') record.replay = replayText;
  else if (kind === 'j') record.replay = JSON.parse(replayText) as unknown;
  return record;
}
