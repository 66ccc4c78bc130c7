import { SignJWT } from 'jose';
import { authenticate, signViewerToken } from '../../src/auth/jwt';

// Beyond test/auth (alg none, wrong secret, expired, missing sub over HTTP): the checks that
// attackers try next, on the function every request goes through.
const SECRET = 'a-secret-of-enough-length-for-hs256';
const key = new TextEncoder().encode(SECRET);
const now = () => Math.floor(Date.now() / 1000);
const bearer = (token: string) => `Bearer ${token}`;
const viewerFromAuthorization = async (header: string, secret: string) => (await authenticate(header, secret)).viewer;

describe('authenticate', () => {
  it('accepts a well-formed HS256 customer token', async () => {
    const token = await signViewerToken({ customerId: 'rita', role: 'customer' }, SECRET);
    expect(await viewerFromAuthorization(bearer(token), SECRET)).toEqual({ customerId: 'rita', role: 'customer' });
  });

  it.each([
    [
      'signed with HS512 and the right secret (algorithm not allowed)',
      () =>
        new SignJWT({ role: 'admin' })
          .setProtectedHeader({ alg: 'HS512' })
          .setSubject('rita')
          .setExpirationTime('1h')
          .sign(key),
    ],
    [
      'not valid yet (nbf in the future)',
      () =>
        new SignJWT({ role: 'customer' })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('rita')
          .setNotBefore(now() + 600)
          .setExpirationTime('2h')
          .sign(key),
    ],
    [
      'with an empty sub',
      () =>
        new SignJWT({ role: 'customer' })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('')
          .setExpirationTime('1h')
          .sign(key),
    ],
    [
      'with a sub of 129 characters',
      () =>
        new SignJWT({ role: 'customer' })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('x'.repeat(129))
          .setExpirationTime('1h')
          .sign(key),
    ],
    [
      'with a NUL in its sub',
      () =>
        new SignJWT({ role: 'customer' })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('a\u0000b')
          .setExpirationTime('1h')
          .sign(key),
    ],
    [
      'with half of a surrogate pair in its sub',
      () =>
        new SignJWT({ role: 'customer' })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('a\ud83db')
          .setExpirationTime('1h')
          .sign(key),
    ],
    [
      // Found from outside (stop 39): a blank customer id was an identity every blank token shared.
      'with a blank sub',
      () =>
        new SignJWT({ role: 'customer' })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('   ')
          .setExpirationTime('1h')
          .sign(key),
    ],
    [
      'with a numeric sub',
      () =>
        new SignJWT({ role: 'customer', sub: 42 } as unknown as Record<string, string>)
          .setProtectedHeader({ alg: 'HS256' })
          .setExpirationTime('1h')
          .sign(key),
    ],
    [
      'without a role',
      () => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('rita').setExpirationTime('1h').sign(key),
    ],
    [
      'with role "__proto__"',
      () =>
        new SignJWT({ role: '__proto__' })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('rita')
          .setExpirationTime('1h')
          .sign(key),
    ],
  ])('rejects a token %s', async (_label, makeToken) => {
    expect(await viewerFromAuthorization(bearer(await makeToken()), SECRET)).toBeNull();
  });

  it('accepts a sub with a well-formed surrogate pair', async () => {
    const token = await signViewerToken({ customerId: 'rita 🍵', role: 'customer' }, SECRET);
    expect(await viewerFromAuthorization(bearer(token), SECRET)).toEqual({ customerId: 'rita 🍵', role: 'customer' });
  });

  it('rejects a token whose payload was altered after signing (role escalation)', async () => {
    const [header, payload, signature] = (
      await signViewerToken({ customerId: 'rita', role: 'customer' }, SECRET)
    ).split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
    expect(await viewerFromAuthorization(bearer(`${header}.${forged}.${signature}`), SECRET)).toBeNull();
  });

  it.each([['Basic cml0YTpwdw=='], ['Bearer'], ['Bearer a b'], ['token-without-scheme'], ['']])(
    'rejects the header %p',
    async (header) => {
      expect(await viewerFromAuthorization(header, SECRET)).toBeNull();
    },
  );

  describe('verified tokens remembered', () => {
    afterEach(() => jest.useRealTimers());

    it('answers an accepted token again until its exp, and refuses it from that second on', async () => {
      const start = Date.now();
      jest.useFakeTimers({ now: start, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
      const exp = Math.floor(start / 1000) + 5;
      const token = await new SignJWT({ role: 'customer' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('cached-rita')
        .setExpirationTime(exp)
        .sign(key);
      expect(await viewerFromAuthorization(bearer(token), SECRET)).toEqual({
        customerId: 'cached-rita',
        role: 'customer',
      });
      jest.setSystemTime(exp * 1000 - 1);
      expect(await viewerFromAuthorization(bearer(token), SECRET)).toEqual({
        customerId: 'cached-rita',
        role: 'customer',
      });
      jest.setSystemTime(exp * 1000);
      expect(await viewerFromAuthorization(bearer(token), SECRET)).toBeNull();
    });

    it('answers a token accepted under one secret only under that secret', async () => {
      const token = await signViewerToken({ customerId: 'rita', role: 'admin' }, SECRET);
      expect(await viewerFromAuthorization(bearer(token), SECRET)).toEqual({ customerId: 'rita', role: 'admin' });
      expect(await viewerFromAuthorization(bearer(token), 'another-secret-of-enough-length')).toBeNull();
    });

    it('hands each request its own viewer', async () => {
      const token = await signViewerToken({ customerId: 'rita', role: 'customer' }, SECRET);
      const first = await viewerFromAuthorization(bearer(token), SECRET);
      (first as { customerId: string }).customerId = 'mallory';
      expect(await viewerFromAuthorization(bearer(token), SECRET)).toEqual({ customerId: 'rita', role: 'customer' });
    });
  });
});

describe('why a request names nobody', () => {
  const expiredToken = (secret: Uint8Array) =>
    new SignJWT({ role: 'customer' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('rita')
      .setExpirationTime(now() - 60)
      .sign(secret);

  it('says expired only of a genuine token past its exp, so a forger learns nothing', async () => {
    expect(await authenticate(bearer(await expiredToken(key)), SECRET)).toEqual({ viewer: null, refusal: 'expired' });
    const forged = await expiredToken(new TextEncoder().encode('a-guessed-secret-of-an-attacker'));
    expect(await authenticate(bearer(forged), SECRET)).toEqual({ viewer: null, refusal: 'invalid' });
  });

  it('tells a missing token from one that is not acceptable', async () => {
    expect(await authenticate(undefined, SECRET)).toEqual({ viewer: null, refusal: 'missing' });
    expect(await authenticate('Basic cml0YTpwdw==', SECRET)).toEqual({ viewer: null, refusal: 'missing' });
    expect(await authenticate(bearer('not.a.jwt'), SECRET)).toEqual({ viewer: null, refusal: 'invalid' });
  });
});
