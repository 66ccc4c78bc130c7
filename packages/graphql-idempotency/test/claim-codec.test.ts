import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { COMPACT_CLAIM_PREFIX, fingerprintsMatch, packBytes, packUuid, unpackBytes } from '../src/claim-codec';
import { decodeClaim, encodeClaim } from '../src/claim-store';
import type { ClaimRecord, CompletedClaim } from '../src/claim-store';

const fingerprint = createHash('sha256').update('a cart').digest('hex');

describe('claim text (version 3 compact, version 2 and version 1 JSON still read)', () => {
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
    ['a text replay holding NUL-separated fields', '3\u0001EUR\u0000725'],
    ['a JSON replay', { v: 1, order: { id: 'x', items: [] } }],
  ])('a completed claim with %s is written compactly and read back, with 128 bits of its fingerprint', (_, replay) => {
    const record: CompletedClaim = {
      state: 'completed',
      fingerprint,
      resourceId: randomUUID(),
      firstSeenAt: Date.now(),
      ...(replay === undefined ? {} : { replay }),
    };
    const text = encodeClaim(record);
    // One character for the version and the replay's kind, 19 + 19 + 6 characters: 45 before the replay.
    expect(text).toHaveLength(
      45 + (typeof replay === 'string' ? replay.length : replay ? JSON.stringify(replay).length : 0),
    );
    const read = decodeClaim(text);
    expect(read).toEqual({ ...record, fingerprint: fingerprint.slice(0, 32) });
    expect(fingerprintsMatch((read as CompletedClaim).fingerprint, fingerprint)).toBe(true);
  });

  it('a kept fingerprint matches only the request whose fingerprint it starts', () => {
    const kept = (
      decodeClaim(
        encodeClaim({ state: 'completed', fingerprint, resourceId: randomUUID(), firstSeenAt: 1 }),
      ) as CompletedClaim
    ).fingerprint;
    const other = createHash('sha256').update('another cart').digest('hex');
    expect(fingerprintsMatch(kept, fingerprint)).toBe(true);
    expect(fingerprintsMatch(kept, other)).toBe(false);
    // Only the last 128 bits differ: counted as the same payload (a chance of 2⁻¹²⁸ for real payloads).
    expect(fingerprintsMatch(kept, fingerprint.slice(0, 32) + other.slice(32))).toBe(true);
    expect(fingerprintsMatch(fingerprint, fingerprint)).toBe(true);
    expect(fingerprintsMatch(fingerprint, other)).toBe(false);
    expect(fingerprintsMatch(kept, kept)).toBe(true);
  });

  it.each([0, 1, 127, 128, 1_764_000_000_123, 2 ** 42 - 1])(
    'keeps firstSeenAt %d to the millisecond',
    (firstSeenAt) => {
      const record: CompletedClaim = { state: 'completed', fingerprint, resourceId: randomUUID(), firstSeenAt };
      expect((decodeClaim(encodeClaim(record)) as CompletedClaim).firstSeenAt).toBe(firstSeenAt);
    },
  );

  it('reads a completed claim as version 2 wrote it (NUL-separated, the whole fingerprint)', () => {
    const record: CompletedClaim = {
      state: 'completed',
      fingerprint,
      resourceId: randomUUID(),
      firstSeenAt: 1_764_000_000_123,
      replay: '2\u0000\u0000\u0000EUR\u0000725',
    };
    const version2 = [
      'c2',
      packBytes(Buffer.from(fingerprint, 'hex')) + packUuid(record.resourceId),
      record.firstSeenAt.toString(36),
      's',
      record.replay,
    ].join('\u0000');
    expect(version2.startsWith(COMPACT_CLAIM_PREFIX)).toBe(true);
    expect(decodeClaim(version2)).toEqual(record);
  });

  it.each<[string, Partial<CompletedClaim>]>([
    ['a fingerprint that is not a sha256', { fingerprint: 'not-hex' }],
    ['an id that is not a UUID', { resourceId: 'order-7' }],
    ['a firstSeenAt past 2109', { firstSeenAt: 2 ** 42 }],
  ])('a claim with %s is written as version 1, and read back whole', (_, odd) => {
    const record: CompletedClaim = {
      state: 'completed',
      fingerprint,
      resourceId: randomUUID(),
      firstSeenAt: 5,
      ...odd,
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
    expect(() => decodeClaim('\u0003short')).toThrow('malformed compact claim');
  });
});
