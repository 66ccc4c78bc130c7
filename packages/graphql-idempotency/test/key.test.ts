import fc from 'fast-check';
import { IdempotencyGuard, MemoryClaimStore, idempotencyKeyProblem, replayPolicy } from '../src';

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:';

describe('idempotency key validation', () => {
  it.each([
    'abcdefgh',
    'order-2026-11-22T10:00:00.000Z',
    'a'.repeat(255),
    'A1_b2.c3:d4-e5',
    '550e8400-e29b-41d4-a716-446655440000',
  ])('accepts %s', (key) => {
    expect(idempotencyKeyProblem(key)).toBeNull();
  });

  it.each([
    ['', 'is required'],
    ['abcdefg', 'at least 8'],
    ['a'.repeat(256), 'at most 255'],
    ['has space', 'may contain only'],
    ['emoji-😀-key', 'may contain only'],
    ['slash/key/1', 'may contain only'],
    ['new\nline-key', 'may contain only'],
    ['{braces}key', 'may contain only'],
  ])('rejects %j', (key, reason) => {
    expect(idempotencyKeyProblem(key)).toContain(reason);
  });

  it('accepts exactly the keys of 8 to 255 allowed characters (property)', () => {
    const allowedKey = fc.string({ unit: fc.constantFrom(...KEY_ALPHABET), minLength: 8, maxLength: 255 });
    fc.assert(fc.property(allowedKey, (key) => idempotencyKeyProblem(key) === null));
    const anyString = fc.string({ unit: 'grapheme', maxLength: 300 });
    fc.assert(
      fc.property(anyString, (key) => {
        const valid = key.length >= 8 && key.length <= 255 && [...key].every((c) => KEY_ALPHABET.includes(c));
        return (idempotencyKeyProblem(key) === null) === valid;
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('a key argument that is not a string (a schema that declares it Int)', () => {
  const guard = new IdempotencyGuard(new MemoryClaimStore(), {
    leaseMs: 1_000,
    retentionMs: 60_000,
    retryAfterMs: 100,
    storeTimeoutMs: 100,
  });
  const policy = replayPolicy('createTicket', { scope: () => '' });
  const send = (idempotencyKey: unknown) =>
    guard.run(policy, { title: 'x', idempotencyKey }, {}, async () => ({ id: 'T-1' }));

  it('is answered BAD_IDEMPOTENCY_KEY saying the key must be a string, not that one is required', async () => {
    await expect(send(123456789)).rejects.toMatchObject({
      message: 'The idempotency key must be a string (8 to 255 characters).',
      extensions: { code: 'BAD_IDEMPOTENCY_KEY' },
    });
    await expect(send(null)).rejects.toThrow('An idempotency key is required');
  });
});
