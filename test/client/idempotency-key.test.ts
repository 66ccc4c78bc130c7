import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { IDEMPOTENCY_KEY_PATTERN as SERVER_KEY_PATTERN, idempotencyKeyProblem } from 'graphql-idempotency';
import { IDEMPOTENCY_KEY_PATTERN, OrderGateClient, OrderGateError, createIdempotencyKey } from '../../src/client';

const parts = fc.record({
  customerId: fc.string({ unit: 'binary', maxLength: 300 }),
  timestamp: fc.nat({ max: Number.MAX_SAFE_INTEGER }),
  salt: fc.string({ unit: 'binary', maxLength: 64 }),
});

describe('createIdempotencyKey', () => {
  it('is deterministic: the same customer, timestamp and salt always give the same key', async () => {
    await fc.assert(
      fc.asyncProperty(parts, async (p) => {
        expect(await createIdempotencyKey({ ...p })).toBe(await createIdempotencyKey({ ...p }));
      }),
    );
  });

  it('always yields a key the server accepts, whatever the customer id and salt', async () => {
    await fc.assert(
      fc.asyncProperty(parts, async (p) => {
        const key = await createIdempotencyKey(p);
        expect(idempotencyKeyProblem(key)).toBeNull();
        expect(key).toMatch(SERVER_KEY_PATTERN);
      }),
    );
    expect(IDEMPOTENCY_KEY_PATTERN.source).toBe(SERVER_KEY_PATTERN.source);
  });

  it('gives a different key when any one part changes', async () => {
    await fc.assert(
      fc.asyncProperty(parts, parts, fc.constantFrom('customerId', 'timestamp', 'salt'), async (a, b, changed) => {
        const other = { ...a, [changed]: b[changed] };
        fc.pre(other[changed] !== a[changed]);
        expect(await createIdempotencyKey(other)).not.toBe(await createIdempotencyKey(a));
      }),
    );
  });

  it('shows the timestamp in the key, so a key tells when its intent began', async () => {
    await fc.assert(
      fc.asyncProperty(parts, async (p) => {
        const key = await createIdempotencyKey(p);
        expect(parseInt(key.split('.')[1], 36)).toBe(p.timestamp);
      }),
    );
  });

  it('salts with fresh randomness when no salt is given: two intents in the same millisecond get two keys', async () => {
    const keys = await Promise.all(
      Array.from({ length: 50 }, () => createIdempotencyKey({ customerId: 'alice', timestamp: 1_700_000_000_000 })),
    );
    expect(new Set(keys).size).toBe(50);
  });

  it('rejects a timestamp that is not a non-negative whole number of milliseconds', async () => {
    for (const timestamp of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      const made = createIdempotencyKey({ customerId: 'alice', timestamp, salt: 's' });
      await expect(made).rejects.toThrow(RangeError);
      await expect(made).rejects.toMatchObject({ name: 'InvalidArgumentError', code: 'INVALID_ARGUMENT' });
    }
  });
});

describe('the client SDK', () => {
  it('uses no Node-only API, so web and mobile code can import it', () => {
    const folder = path.resolve(__dirname, '../../src/client');
    const sources = readdirSync(folder).filter((file) => file.endsWith('.ts'));
    expect(sources).toEqual(expect.arrayContaining(['index.ts', 'generated.ts', 'graphql-transport.ts']));
    for (const file of sources) {
      const source = readFileSync(path.join(folder, file), 'utf8');
      expect({
        file,
        nodeImport: /from ['"](node:|crypto|fs|http|path)/.test(source),
        buffer: /\bBuffer\b/.test(source),
        process: /\bprocess\./.test(source),
      }).toEqual({
        file,
        nodeImport: false,
        buffer: false,
        process: false,
      });
      expect(source).not.toMatch(/from ['"]\.\.\//);
    }
  });

  /** Runs `check` with `globalThis[name]` gone, as on a platform without it. */
  async function without(name: 'crypto' | 'fetch' | 'TextEncoder', check: () => Promise<void>): Promise<void> {
    const original = Object.getOwnPropertyDescriptor(globalThis, name);
    Object.defineProperty(globalThis, name, { value: undefined, configurable: true });
    try {
      await check();
    } finally {
      if (original) Object.defineProperty(globalThis, name, original);
    }
  }

  const client = () =>
    new OrderGateClient({ url: 'http://order-gate.invalid/graphql', authToken: 't', customerId: 'a' });

  it('without Web Crypto (React Native without a polyfill): OrderGateError UNSUPPORTED_PLATFORM, from createOrder too', async () => {
    await without('crypto', async () => {
      const thrown = await client()
        .createOrder({ currency: 'EUR', items: [] })
        .catch((error: unknown) => error);
      expect(thrown).toBeInstanceOf(OrderGateError);
      expect(thrown).toMatchObject({ kind: 'Unsupported', code: 'UNSUPPORTED_PLATFORM', attempts: 0 });
      expect((thrown as Error).message).toMatch(/^Web Crypto .* is required/);
    });
  });

  it('without TextEncoder (older React Native engines): OrderGateError UNSUPPORTED_PLATFORM, not a ReferenceError', async () => {
    await without('TextEncoder', async () => {
      await expect(client().newIdempotencyKey()).rejects.toMatchObject({
        name: 'OrderGateError',
        code: 'UNSUPPORTED_PLATFORM',
        attempts: 0,
        message: expect.stringMatching(/^TextEncoder is required/),
      });
    });
  });

  it('without fetch and none passed: OrderGateError UNSUPPORTED_PLATFORM before any try', async () => {
    await without('fetch', async () => {
      await expect(client().issueOrderToken()).rejects.toMatchObject({
        name: 'OrderGateError',
        code: 'UNSUPPORTED_PLATFORM',
        attempts: 0,
        message: expect.stringMatching(/^fetch is required/),
      });
    });
  });
});
