import { SignJWT } from 'jose';
import { postGraphQL } from '../support/graphql-client';
import { request } from '../support/http';
import { CREATE_ORDER, ORDERS, PRODUCT, UPSERT_PRODUCT } from '../support/operations';
import { withTestServer } from '../support/test-server-fixture';

const fixture = withTestServer('auth');

const secret = () => new TextEncoder().encode(fixture.server.config.jwtSecret);
const product = { sku: 'AUTH-1', name: 'Auth test product', priceCents: 100, currency: 'EUR', stock: 3 };

function unsignedToken(claims: Record<string, unknown>): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;
}

async function expectCode(token: string | undefined, query: string, variables: Record<string, unknown>, code: string) {
  const response = await postGraphQL(fixture.server.url, query, variables, token ? { token } : {});
  expect(response.body.errors?.map((error) => error.extensions?.['code'])).toEqual([code]);
  // Nothing is answered: no data at all, or the (nullable) field is null.
  expect(Object.values(response.body.data ?? {})).toEqual(Object.values(response.body.data ?? {}).map(() => null));
}

describe('authentication', () => {
  const operations: [string, string, Record<string, unknown>][] = [
    [
      'createOrder',
      CREATE_ORDER,
      { key: 'auth-test-key', input: { currency: 'EUR', items: [{ sku: 'AUTH-1', quantity: 1 }] } },
    ],
    ['orders', ORDERS, {}],
    ['product', PRODUCT, { sku: 'AUTH-1' }],
    ['upsertProduct', UPSERT_PRODUCT, { input: product }],
  ];

  it.each(operations)('rejects %s without a token as UNAUTHENTICATED', async (_name, query, variables) => {
    await expectCode(undefined, query, variables, 'UNAUTHENTICATED');
  });

  it.each([
    [
      'signed with another secret',
      () =>
        new SignJWT({ role: 'customer' })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('mallory')
          .setExpirationTime('1h')
          .sign(new TextEncoder().encode('another-secret-of-enough-length')),
    ],
    [
      'expired',
      () =>
        new SignJWT({ role: 'customer' })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('mallory')
          .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
          .sign(secret()),
    ],
    [
      'with alg none',
      async () => unsignedToken({ sub: 'mallory', role: 'admin', exp: Math.floor(Date.now() / 1000) + 600 }),
    ],
    [
      'without sub',
      () =>
        new SignJWT({ role: 'customer' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(secret()),
    ],
    [
      'with an unknown role',
      () =>
        new SignJWT({ role: 'root' })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('mallory')
          .setExpirationTime('1h')
          .sign(secret()),
    ],
    [
      'without exp (it would never expire)',
      () => new SignJWT({ role: 'customer' }).setProtectedHeader({ alg: 'HS256' }).setSubject('mallory').sign(secret()),
    ],
    ['that is garbage', async () => 'not.a.jwt'],
  ])('rejects a token %s as UNAUTHENTICATED', async (_label, makeToken) => {
    const token = await makeToken();
    await expectCode(token, CREATE_ORDER, operations[0][2], 'UNAUTHENTICATED');
    await expectCode(token, UPSERT_PRODUCT, { input: product }, 'UNAUTHENTICATED');
  });

  // A validly signed token whose customer cannot be stored as text (src/db/storable-text.ts) names
  // nobody: every operation is UNAUTHENTICATED, every REST route 401, like an empty or numeric sub.
  describe.each([
    ['a NUL', 'a\u0000b'],
    ['half of a surrogate pair', 'a\ud83db'],
  ])('a signed token whose sub holds %s', (_label, sub) => {
    const signed = (role = 'customer') =>
      new SignJWT({ role }).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setExpirationTime('1h').sign(secret());

    it.each(operations)('is refused on %s as UNAUTHENTICATED', async (_name, query, variables) => {
      await expectCode(await signed(), query, variables, 'UNAUTHENTICATED');
      await expectCode(await signed('admin'), query, variables, 'UNAUTHENTICATED');
    });

    it.each([
      ['/api/v1/orders', { currency: 'EUR', items: [{ sku: 'AUTH-1', quantity: 1 }] }],
      ['/api/v1/orders/00000000-0000-4000-8000-000000000000/cancel', { reason: 'changed my mind' }],
      ['/api/v1/inventory/AUTH-1/adjustments', { delta: 1, reason: 'recount' }],
    ])('is refused on POST %s with a 401 problem', async (route, body) => {
      const response = await request(fixture.server.url, route, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${await signed('admin')}`,
          'idempotency-key': 'auth-bad-sub-0001',
        },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
      expect(JSON.parse(response.text)).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    });
  });

  it('tells a genuine expired token apart (get a new one) through GraphQL and REST, and a forged one not', async () => {
    const expired = (key: Uint8Array) =>
      new SignJWT({ role: 'admin' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('erin')
        .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
        .sign(key);
    const messagesOf = async (token: string) => {
      const graphql = await postGraphQL(fixture.server.url, ORDERS, {}, { token });
      const graphqlAdmin = await postGraphQL(fixture.server.url, UPSERT_PRODUCT, { input: product }, { token });
      const rest = await request(fixture.server.url, '/api/v1/inventory/AUTH-1/adjustments', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          'idempotency-key': 'auth-expired-0001',
        },
        body: JSON.stringify({ delta: 1, reason: 'recount' }),
      });
      const problem = JSON.parse(rest.text) as Record<string, unknown>;
      return [
        graphql.body.errors?.map((error) => [error.extensions?.['code'], error.message]),
        graphqlAdmin.body.errors?.map((error) => [error.extensions?.['code'], error.message]),
        [rest.status, problem['code'], problem['detail']],
      ];
    };
    const expiredMessage = 'The bearer token has expired: a valid one is required.';
    expect(await messagesOf(await expired(secret()))).toEqual([
      [['UNAUTHENTICATED', expiredMessage]],
      [['UNAUTHENTICATED', expiredMessage]],
      [401, 'UNAUTHENTICATED', expiredMessage],
    ]);
    const plain = 'A valid bearer token is required.';
    expect(await messagesOf(await expired(new TextEncoder().encode('another-secret-of-enough-length')))).toEqual([
      [['UNAUTHENTICATED', plain]],
      [['UNAUTHENTICATED', plain]],
      [401, 'UNAUTHENTICATED', plain],
    ]);
  });

  it('answers a customer calling upsertProduct with FORBIDDEN and changes nothing', async () => {
    await expectCode(await fixture.server.tokenFor('customer-1'), UPSERT_PRODUCT, { input: product }, 'FORBIDDEN');
    expect(await fixture.db.query('SELECT 1 FROM "Product"')).toEqual([]);
  });

  it('lets an admin create and then update a product, and a customer read it', async () => {
    const admin = await fixture.server.tokenFor('ops', 'admin');
    const created = await postGraphQL(fixture.server.url, UPSERT_PRODUCT, { input: product }, { token: admin });
    expect(created.body.data).toEqual({ upsertProduct: { id: expect.any(String), ...product } });
    const updated = await postGraphQL(
      fixture.server.url,
      UPSERT_PRODUCT,
      { input: { ...product, sku: 'auth-1', stock: 7 } },
      { token: admin },
    );
    expect(updated.body.data).toEqual({
      upsertProduct: { ...(created.body.data as { upsertProduct: object }).upsertProduct, stock: 7 },
    });
    const read = await postGraphQL(
      fixture.server.url,
      PRODUCT,
      { sku: 'AUTH-1' },
      { token: await fixture.server.tokenFor('customer-1') },
    );
    expect(read.body.data).toEqual({ product: { id: expect.any(String), ...product, stock: 7 } });
  });

  it('answers invalid product input with BAD_USER_INPUT', async () => {
    const admin = await fixture.server.tokenFor('ops', 'admin');
    await expectCode(admin, UPSERT_PRODUCT, { input: { ...product, stock: -1 } }, 'BAD_USER_INPUT');
    await expectCode(admin, UPSERT_PRODUCT, { input: { ...product, currency: 'EURO' } }, 'BAD_USER_INPUT');
    // Three letters, but no ISO 4217 currency: a product sold in it could never be ordered.
    const xyz = await postGraphQL(
      fixture.server.url,
      UPSERT_PRODUCT,
      { input: { ...product, sku: 'XYZ-1', currency: 'xyz' } },
      { token: admin },
    );
    expect(
      xyz.body.errors?.map((error) => [error.extensions?.['code'], error.extensions?.['field'], error.message]),
    ).toEqual([['BAD_USER_INPUT', 'currency', 'The currency must be an ISO 4217 code, e.g. EUR.']]);
    expect(await fixture.db.query(`SELECT 1 FROM "Product" WHERE "sku" = 'XYZ-1'`)).toEqual([]);
  });
});
