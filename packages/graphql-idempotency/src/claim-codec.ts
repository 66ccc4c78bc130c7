/**
 * The compact text of a completed claim, what Redis keeps for every completed key for the retention
 * time. The customer and the key are the Redis key's name already: never repeated in the value.
 *
 * Version 3 (written): fixed-length fields, no separators. One character that says the version and
 * the replay's kind (COMPACT_CLAIM_V3: U+0003 text replay, U+0004 JSON replay, U+0005 none), the
 * first 128 bits of the fingerprint (19 characters, packBytes), the resource id (a UUID as 19), firstSeenAt in
 * epoch milliseconds (42 bits as 6 characters of 7 bits, good until 2109), then the replay. A repeat
 * needs the fingerprint only to tell its payload from another under the same key: 128 bits of a
 * sha256 tell them apart as surely (a chance collision is 2⁻¹²⁸; a crafted one takes 2⁶⁴ work, by
 * the key's owner, against their own key, and gets them their own first answer). The arbiter keeps the whole
 * fingerprint (findCommitted), so the database's answer is unchanged. A decoded version 3 claim
 * holds the 32 hex characters it kept: compare with fingerprintsMatch, not ===.
 *
 * Version 2 (read, not written any more): fields joined by NUL: `c2`, the whole fingerprint (37)
 * followed by the resource id (19), firstSeenAt in base 36, the replay's kind (`` none, `s` text,
 * `j` JSON) and the replay. A claim whose fingerprint or id has another shape is written as version 1
 * (JSON), which stays readable too (rolling upgrades read every version).
 */
import { NOT_PLAIN_JSON, plainJson } from './replay-json';

export const COMPACT_CLAIM_PREFIX = 'c2\u0000';

/** The first character of a version 3 claim, by the kind of its replay. */
export const COMPACT_CLAIM_V3 = { text: '\u0003', json: '\u0004', none: '\u0005' } as const;

export const FIELD_SEPARATOR = '\u0000';

/** What the compact versions keep of a completed claim (claim-store.ts's CompletedClaim without its state). */
export interface CompactClaimFields {
  fingerprint: string;
  resourceId: string;
  firstSeenAt: number;
  replay?: unknown;
}

/** packBytes's length of a sha256 (32 bytes), of its first 128 bits and of a UUID (16 bytes). */
const FINGERPRINT_CHARS = 37;
const SHORT_FINGERPRINT_CHARS = 19;
export const UUID_CHARS = 19;
/** firstSeenAt in version 3: 6 characters of 7 bits. */
const TIME_CHARS = 6;
const TIME_LIMIT = 2 ** (7 * TIME_CHARS);
/** Where version 3's replay starts. */
const V3_HEADER_CHARS = 1 + SHORT_FINGERPRINT_CHARS + UUID_CHARS + TIME_CHARS;

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

/**
 * Whether a request's fingerprint is the one a claim kept: equal, or (version 3 keeps 128 bits of a
 * sha256) the kept prefix of it.
 */
export function fingerprintsMatch(kept: string, requested: string): boolean {
  if (kept === requested) return true;
  return kept.length === 2 * 16 && requested.length === 64 && requested.startsWith(kept);
}

/** Version 3 of a completed claim; undefined when it does not fit (then version 1 is written). */
export function encodeCompactClaim(record: CompactClaimFields): string | undefined {
  const resourceId = packUuid(record.resourceId);
  const { firstSeenAt, replay } = record;
  if (!resourceId || !SHA256_HEX.test(record.fingerprint)) return undefined;
  if (!Number.isSafeInteger(firstSeenAt) || firstSeenAt < 0 || firstSeenAt >= TIME_LIMIT) return undefined;
  const kind =
    replay === undefined
      ? COMPACT_CLAIM_V3.none
      : typeof replay === 'string'
        ? COMPACT_CLAIM_V3.text
        : COMPACT_CLAIM_V3.json;
  const text = replay === undefined ? '' : typeof replay === 'string' ? replay : plainJson(replay);
  // Not plain JSON (a cycle, a BigInt): version 1 writes it (replay-json.ts).
  if (text === undefined || text === NOT_PLAIN_JSON) return undefined;
  return (
    kind + packBytes(Buffer.from(record.fingerprint.slice(0, 32), 'hex')) + resourceId + packTime(firstSeenAt) + text
  );
}

/** Whether `text` is a compact claim (version 2 or 3). */
export function isCompactClaim(text: string): boolean {
  const first = text.charCodeAt(0);
  return (first >= 3 && first <= 5) || text.startsWith(COMPACT_CLAIM_PREFIX);
}

/** Reads version 3 or 2 (isCompactClaim); throws on a malformed value. */
export function decodeCompactClaim(text: string): CompactClaimFields {
  return text.startsWith(COMPACT_CLAIM_PREFIX) ? decodeVersion2(text) : decodeVersion3(text);
}

function decodeVersion3(text: string): CompactClaimFields {
  if (text.length < V3_HEADER_CHARS) throw new Error('The claim store holds a malformed compact claim.');
  const fingerprintEnd = 1 + SHORT_FINGERPRINT_CHARS;
  const idEnd = fingerprintEnd + UUID_CHARS;
  const record: CompactClaimFields = {
    fingerprint: unpackBytes(text.slice(1, fingerprintEnd), 16).toString('hex'),
    resourceId: unpackUuid(text.slice(fingerprintEnd, idEnd)),
    firstSeenAt: unpackTime(text.slice(idEnd, V3_HEADER_CHARS)),
  };
  const replayText = text.slice(V3_HEADER_CHARS);
  if (text[0] === COMPACT_CLAIM_V3.text) record.replay = replayText;
  else if (text[0] === COMPACT_CLAIM_V3.json) record.replay = JSON.parse(replayText) as unknown;
  return record;
}

function decodeVersion2(text: string): CompactClaimFields {
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

/** Epoch milliseconds below 2⁴² as 6 characters of 7 bits (each group v as the character v + 1). */
function packTime(ms: number): string {
  let text = '';
  for (let group = TIME_CHARS - 1; group >= 0; group -= 1)
    text += String.fromCharCode((Math.floor(ms / 128 ** group) % 128) + 1);
  return text;
}

function unpackTime(text: string): number {
  let ms = 0;
  for (let index = 0; index < TIME_CHARS; index += 1) ms = ms * 128 + (text.charCodeAt(index) - 1);
  return ms;
}
