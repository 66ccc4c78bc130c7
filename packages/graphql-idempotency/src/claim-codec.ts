/**
 * The compact text of a completed claim (version 2), what Redis keeps for every completed key for
 * the retention time. Fields joined by NUL, which no stored text holds (a NUL in a key, SKU or
 * address is refused at the door): `c2`, the fingerprint (sha256 as 37 characters of 7 bits, packBytes)
 * followed by the resource id (a UUID as 19), firstSeenAt in base 36, the replay's kind (`` none, `s` text
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

/** packBytes's length of a sha256 (32 bytes) and of a UUID (16 bytes). */
const FINGERPRINT_CHARS = 37;
export const UUID_CHARS = 19;

const SHA256_HEX = /^[0-9a-f]{64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Bytes as text of one UTF-8 byte per 7 bits (base64 gives 6): each 7-bit group v becomes the
 * character v + 1, so never NUL; the rare group 127 becomes U+0080, two bytes. Redis strings and
 * ioredis's UTF-8 carry it unchanged.
 */
export function packBytes(bytes: Uint8Array): string {
  let text = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 7) {
      bits -= 7;
      text += String.fromCharCode(((buffer >> bits) & 0x7f) + 1);
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) text += String.fromCharCode(((buffer << (7 - bits)) & 0x7f) + 1);
  return text;
}

/** The `length` bytes packBytes made `text` of. */
export function unpackBytes(text: string, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  let buffer = 0;
  let bits = 0;
  let at = 0;
  for (let index = 0; index < text.length && at < length; index += 1) {
    buffer = ((buffer << 7) | (text.charCodeAt(index) - 1)) & 0x7fff;
    bits += 7;
    if (bits >= 8) {
      bits -= 8;
      bytes[at++] = (buffer >> bits) & 0xff;
    }
  }
  return bytes;
}

/** A lowercase UUID as 19 characters (packBytes); undefined for anything else. */
export function packUuid(uuid: string): string | undefined {
  return UUID.test(uuid) ? packBytes(Buffer.from(uuid.replaceAll('-', ''), 'hex')) : undefined;
}

export function unpackUuid(packed: string): string {
  const hex = unpackBytes(packed, 16).toString('hex');
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
    // Both of fixed length: one field.
    packBytes(Buffer.from(record.fingerprint, 'hex')) + resourceId,
    record.firstSeenAt.toString(36),
    kind,
    text,
  ].join(FIELD_SEPARATOR);
}

/** Reads version 2 (text starting with COMPACT_CLAIM_PREFIX); throws on a malformed value. */
export function decodeCompactClaim(text: string): CompactClaimFields {
  const fields = text.split(FIELD_SEPARATOR);
  if (fields.length < 5 || fields[1].length !== FINGERPRINT_CHARS + UUID_CHARS)
    throw new Error('The claim store holds a malformed compact claim.');
  const [, ids, firstSeenAt, kind] = fields;
  const [fingerprint, resourceId] = [ids.slice(0, FINGERPRINT_CHARS), ids.slice(FINGERPRINT_CHARS)];
  // The replay is last and may itself be made of NUL-separated fields: everything after the fourth separator.
  const replayText = fields.slice(4).join(FIELD_SEPARATOR);
  const record: CompactClaimFields = {
    fingerprint: unpackBytes(fingerprint, 32).toString('hex'),
    resourceId: unpackUuid(resourceId),
    firstSeenAt: parseInt(firstSeenAt, 36),
  };
  if (kind === 's') record.replay = replayText;
  else if (kind === 'j') record.replay = JSON.parse(replayText) as unknown;
  return record;
}
