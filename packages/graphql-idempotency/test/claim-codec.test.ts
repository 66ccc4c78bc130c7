import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { COMPACT_CLAIM_PREFIX, packBytes, unpackBytes } from '../src/claim-codec';
import { decodeClaim, encodeClaim } from '../src/claim-store';
import type { ClaimRecord, CompletedClaim } from '../src/claim-store';

const fingerprint = createHash('sha256').update('a cart').digest('hex');

describe('claim text (version 2 compact, version 1 JSON)', () => {
  it('packs bytes 7 bits a character, never a NUL, and unpacks them the same', () => {
    for (const bytes of [
      Buffer.alloc(16, 0),
      Buffer.alloc(32, 0xff),
      ...Array.from({ length: 200 }, () => randomBytes(32)),
    ]) {
      const text = packBytes(bytes);
      expect(text).toHaveLength(Math.ceil((bytes.length * 8) / 7));
      expect(text).not.toContain('\u0000');
      expect(unpackBytes(text, bytes.length)).toEqual(bytes);
    }
  });

  it.each<[string, unknown]>([
    ['no replay', undefined],
    ['a text replay holding NUL-separated fields', '2\u0000\u0000\u0000EUR\u0000725'],
    ['a JSON replay', { v: 1, order: { id: 'x', items: [] } }],
  ])('a completed claim with %s is written compactly and read back the same', (_, replay) => {
    const record: CompletedClaim = {
      state: 'completed',
      fingerprint,
      resourceId: randomUUID(),
      firstSeenAt: Date.now(),
      ...(replay === undefined ? {} : { replay }),
    };
    const text = encodeClaim(record);
    expect(text.startsWith(COMPACT_CLAIM_PREFIX)).toBe(true);
    // 'c2', 37 + 19 + 8 characters, the replay's kind and four separators: 71 before the replay.
    expect(text.length).toBeLessThanOrEqual(
      71 + (typeof replay === 'string' ? replay.length : JSON.stringify(replay ?? '').length),
    );
    expect(decodeClaim(text)).toEqual(record);
  });

  it('a claim whose id or fingerprint is not of the usual shape is written as version 1, and read back', () => {
    const record: CompletedClaim = {
      state: 'completed',
      fingerprint: 'not-hex',
      resourceId: 'order-7',
      firstSeenAt: 5,
    };
    expect(JSON.parse(encodeClaim(record))).toEqual(record);
    expect(decodeClaim(encodeClaim(record))).toEqual(record);
  });

  it.each<[string, ClaimRecord]>([
    [
      'completed',
      {
        state: 'completed',
        fingerprint,
        resourceId: randomUUID(),
        firstSeenAt: 1_764_000_000_000,
        replay: { v: 1, order: {} },
      },
    ],
    ['pending', { state: 'pending', fingerprint, owner: 'owner-1', claimedAt: 1_764_000_000_000 }],
  ])('reads a %s claim as the previous version wrote it (JSON)', (_, record) => {
    expect(decodeClaim(JSON.stringify(record))).toEqual(record);
  });

  it('a pending claim stays JSON (its owner compares the same text when it completes or releases)', () => {
    const pending: ClaimRecord = { state: 'pending', fingerprint, owner: 'o', claimedAt: 1 };
    expect(encodeClaim(pending)).toBe(JSON.stringify(pending));
  });

  it('refuses a value it did not write', () => {
    expect(() => decodeClaim('{"state":"done"}')).toThrow('not a claim record');
    expect(() => decodeClaim(`${COMPACT_CLAIM_PREFIX}only`)).toThrow('malformed compact claim');
  });
});
