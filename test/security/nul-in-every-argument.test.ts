import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, getNamedType, isInputObjectType, isScalarType } from 'graphql';
import type { GraphQLArgument, GraphQLInputField } from 'graphql';
import { seedProducts } from '../support/catalog';
import { postGraphQL } from '../support/graphql-client';
import { request } from '../support/http';
import { PROJECT_ROOT } from '../support/server';
import { withTestServer } from '../support/test-server-fixture';
import { holdOne } from '../orders/lifecycle/held-order-client';

// Text PostgreSQL cannot store as sent is a wrong input (src/db/storable-text.ts): a NUL (U+0000),
// which text cannot hold (SQLSTATE 22021), and half of a UTF-16 surrogate pair (JSON's "\ud83d"
// alone), which a json column refuses (22P02) and a text column would silently keep as U+FFFD.
// Every text argument of every root field, and every text path of the REST API, must answer such a
// value with a typed refusal (a union member, or an error with a stable code below 500), never
// INTERNAL_SERVER_ERROR, and store nothing of it. The arguments are read from schema.graphql, so a
// new one without a case here fails this file.

const fixture = withTestServer('nul-arguments');
/** The values that cannot be stored, each tried at every path: by a name for the tests' titles. */
const UNSTORABLE: [string, string][] = [
  ['a NUL', 'nul\u0000text'],
  ['half of a surrogate pair', 'half \ud83d of a pair'],
];
/** A real order of the caller's and a real held order (set up below), so that each check runs past the lookup. */
const ids = { order: '', held: '' };
const address = {
  line1: '1 Main St',
  line2: 'Flat 2',
  city: 'Bath',
  region: 'Somerset',
  postalCode: 'BA1 1AA',
  country: 'GB',
  name: 'Ada',
};
const orderInput = {
  currency: 'EUR',
  items: [{ sku: 'NUL-1', quantity: 1 }],
  shippingAddress: address,
  orderToken: null,
};

/** Each root field's operation and variables that are valid but for the one value the test replaces. */
const CALLS: Record<string, { admin?: boolean; query: string; variables: () => Record<string, unknown> }> = {
  adjustInventory: {
    admin: true,
    query:
      'mutation($sku: String!, $reason: String!, $idempotencyKey: String) { adjustInventory(sku: $sku, delta: 1, reason: $reason, idempotencyKey: $idempotencyKey) { __typename } }',
    variables: () => ({ sku: 'NUL-1', reason: 'recount', idempotencyKey: 'nul-adjust-0001' }),
  },
  cancelOrder: {
    query:
      'mutation($orderId: ID!, $reason: String!, $idempotencyKey: String) { cancelOrder(orderId: $orderId, reason: $reason, idempotencyKey: $idempotencyKey) { __typename } }',
    variables: () => ({ orderId: ids.order, reason: 'changed my mind', idempotencyKey: 'nul-cancel-0001' }),
  },
  changeShippingAddress: {
    query:
      'mutation($orderId: ID!, $address: ShippingAddressInput!, $idempotencyKey: String) { changeShippingAddress(orderId: $orderId, address: $address, idempotencyKey: $idempotencyKey) { __typename } }',
    variables: () => ({ orderId: ids.order, address, idempotencyKey: 'nul-address-0001' }),
  },
  createOrder: {
    query:
      'mutation($idempotencyKey: String!, $input: CreateOrderInput!) { createOrder(idempotencyKey: $idempotencyKey, input: $input) { __typename } }',
    variables: () => ({ idempotencyKey: 'nul-create-0001', input: orderInput }),
  },
  dismissHeldOrder: {
    admin: true,
    query:
      'mutation($heldOrderId: ID!, $reason: String!, $idempotencyKey: String) { dismissHeldOrder(heldOrderId: $heldOrderId, reason: $reason, idempotencyKey: $idempotencyKey) { __typename } }',
    variables: () => ({ heldOrderId: ids.held, reason: 'spam', idempotencyKey: 'nul-dismiss-0001' }),
  },
  refundOrder: {
    query:
      'mutation($orderId: ID!, $lines: [RefundLineInput!], $idempotencyKey: String) { refundOrder(orderId: $orderId, lines: $lines, idempotencyKey: $idempotencyKey) { __typename } }',
    variables: () => ({
      orderId: ids.order,
      lines: [{ sku: 'NUL-1', quantity: 1 }],
      idempotencyKey: 'nul-refund-0001',
    }),
  },
  releaseHeldOrder: {
    admin: true,
    query:
      'mutation($heldOrderId: ID!, $idempotencyKey: String) { releaseHeldOrder(heldOrderId: $heldOrderId, idempotencyKey: $idempotencyKey) { __typename } }',
    variables: () => ({ heldOrderId: ids.held, idempotencyKey: 'nul-release-0001' }),
  },
  upsertProduct: {
    admin: true,
    query: 'mutation($input: ProductInput!) { upsertProduct(input: $input) { sku } }',
    variables: () => ({ input: { sku: 'NUL-2', name: 'Tea', currency: 'EUR', priceCents: 100, stock: 1 } }),
  },
  duplicateAttempts: {
    admin: true,
    query:
      'query($customerId: ID, $orderId: ID, $after: ID) { duplicateAttempts(customerId: $customerId, orderId: $orderId, after: $after) { outcome } }',
    variables: () => ({ customerId: 'nul-customer', orderId: ids.order, after: null }),
  },
  heldOrders: {
    admin: true,
    query: 'query($after: ID) { heldOrders(after: $after) { id } }',
    variables: () => ({ after: ids.held }),
  },
  order: { query: 'query($id: ID!) { order(id: $id) { id } }', variables: () => ({ id: ids.order }) },
  orderHistory: {
    admin: true,
    query: 'query($orderId: ID!, $after: ID) { orderHistory(orderId: $orderId, after: $after) { outcome } }',
    variables: () => ({ orderId: ids.order, after: null }),
  },
  orders: { query: 'query($after: ID) { orders(after: $after) { id } }', variables: () => ({ after: ids.order }) },
  product: { query: 'query($sku: String!) { product(sku: $sku) { sku } }', variables: () => ({ sku: 'NUL-1' }) },
};

/** Every path (field.argument[.inputField…]) of schema.graphql's root fields whose value is text (String or ID). */
function textArgumentPaths(): string[] {
  const schema = buildSchema(readFileSync(path.join(PROJECT_ROOT, 'schema.graphql'), 'utf8'));
  const paths: string[] = [];
  const visit = (prefix: string, input: GraphQLArgument | GraphQLInputField, seen: Set<string>) => {
    const type = getNamedType(input.type);
    if (isScalarType(type) && (type.name === 'String' || type.name === 'ID')) paths.push(`${prefix}.${input.name}`);
    if (isInputObjectType(type) && !seen.has(type.name))
      for (const field of Object.values(type.getFields()))
        visit(`${prefix}.${input.name}`, field, new Set([...seen, type.name]));
  };
  for (const root of [schema.getQueryType()!, schema.getMutationType()!])
    for (const field of Object.values(root.getFields()))
      for (const arg of field.args) visit(field.name, arg, new Set());
  return paths;
}

/** Keys used so far: each call gets its own, so that no refusal's key answers a later call as a reuse. */
let calls = 0;

/**
 * The call's variables with `text` written at `path` (field.argument[.inputField…]; lists: their
 * first element), under an idempotency key of its own unless the key is what `path` names.
 */
function withTextAt(
  path: string,
  text: string,
): { admin?: boolean; query: string; variables: Record<string, unknown> } {
  const [field, ...rest] = path.split('.');
  const call = CALLS[field];
  if (!call) throw new Error(`no call for ${field}: add one to CALLS`);
  // A variable the operation does not declare is dropped unseen: the call must send the argument.
  if (!call.query.includes(`$${rest[0]}:`)) throw new Error(`the call for ${field} does not send ${rest[0]}`);
  const variables = structuredClone(call.variables());
  calls += 1;
  if (typeof variables['idempotencyKey'] === 'string') variables['idempotencyKey'] += `-${calls}`;
  let holder: Record<string, unknown> = variables;
  for (const [index, name] of rest.entries()) {
    if (index === rest.length - 1) holder[name] = text;
    else {
      const next = holder[name];
      holder = (Array.isArray(next) ? next[0] : next) as Record<string, unknown>;
    }
  }
  return { admin: call.admin, query: call.query, variables };
}

/**
 * Rows of the test database whose text (or JSON) holds U+FFFD: what a text column makes of half a
 * pair. The audit log is left out: it records a refused key as it came (src/audit/, batched in the
 * background), which is not data the request wrote.
 */
async function rowsWithReplacementCharacter(): Promise<string[]> {
  const columns = await fixture.db.query<{ table: string; column: string }>(
    `SELECT table_name AS "table", column_name AS "column" FROM information_schema.columns
      WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'json', 'jsonb')
        AND table_name <> 'IdempotencyAuditEvent'`,
  );
  const found: string[] = [];
  for (const { table, column } of columns) {
    const rows = await fixture.db.query<{ value: string }>(
      `SELECT "${column}"::text AS value FROM "${table}" WHERE strpos("${column}"::text, chr(65533)) > 0`,
    );
    found.push(...rows.map((row) => `${table}.${column}: ${row.value}`));
  }
  return found;
}

beforeAll(async () => {
  await seedProducts(fixture.db.url, [{ sku: 'NUL-1', priceCents: 100, stock: 100 }]);
  const { candidateId, heldOrderId } = await holdOne(fixture.server, 'nul-user', 'NUL-1', 1);
  Object.assign(ids, { order: candidateId, held: heldOrderId });
});

describe.each(UNSTORABLE)('%s in any text argument', (_name, text) => {
  const paths = textArgumentPaths();

  it('the schema has text arguments, each with a call here', () => {
    expect(paths.length).toBeGreaterThan(20);
    for (const argumentPath of paths) expect(() => withTextAt(argumentPath, text)).not.toThrow();
  });

  it.each(paths)('%s is refused with a typed answer, not an internal error', async (argumentPath) => {
    const { admin, query, variables } = withTextAt(argumentPath, text);
    const token = await fixture.server.tokenFor('nul-user', admin ? 'admin' : 'customer');
    const response = await postGraphQL(fixture.server.url, query, variables, { token });
    expect(response.status).toBeLessThan(500);
    const codes = (response.body.errors ?? []).map((error) => error.extensions?.['code']);
    expect(codes).not.toContain('INTERNAL_SERVER_ERROR');
    expect(JSON.stringify(response.body)).not.toMatch(/\bat \S+ \(|22021|22P02|invalid byte sequence|surrogate must/);
  });
});

describe.each(UNSTORABLE)('%s in the REST API’s text paths', (_name, text) => {
  // A path parameter carries it percent-encoded: NUL as %00, half a pair as its (invalid) UTF-8 bytes.
  const inPath = text.includes('\u0000') ? '%00' : '%ED%A0%BD';
  const routes: [string, () => string, () => object][] = [
    ['the SKU in the path', () => `/api/v1/inventory/NUL${inPath}-1/adjustments`, () => ({ delta: 1, reason: 'x' })],
    ['the reason', () => '/api/v1/inventory/NUL-1/adjustments', () => ({ delta: 1, reason: text })],
    ['a cancellation’s reason', () => `/api/v1/orders/${ids.order}/cancel`, () => ({ reason: text })],
    ['an order id in the path', () => `/api/v1/orders/nul${inPath}id/cancel`, () => ({ reason: 'x' })],
    ['a refund’s SKU', () => `/api/v1/orders/${ids.order}/refunds`, () => ({ lines: [{ sku: text, quantity: 1 }] })],
    ...Object.keys(address).map((field): [string, () => string, () => object] => [
      `a new address’s ${field}`,
      () => `/api/v1/orders/${ids.order}/shipping-address`,
      () => ({ address: { ...address, [field]: text } }),
    ]),
    ['a dismissal’s reason', () => `/api/v1/held-orders/${ids.held}/dismiss`, () => ({ reason: text })],
    ['a held order id in the path', () => `/api/v1/held-orders/nul${inPath}id/release`, () => ({})],
    [
      'a new order’s currency',
      () => '/api/v1/orders',
      () => ({ ...orderInput, orderToken: undefined, currency: text }),
    ],
    [
      'a new order’s SKU',
      () => '/api/v1/orders',
      () => ({ ...orderInput, orderToken: undefined, items: [{ sku: text, quantity: 1 }] }),
    ],
    ...Object.keys(address).map((field): [string, () => string, () => object] => [
      `a new order’s address ${field}`,
      () => '/api/v1/orders',
      () => ({ ...orderInput, orderToken: undefined, shippingAddress: { ...address, [field]: text } }),
    ]),
  ];

  it.each(routes)('%s is refused with a 4xx problem, not a 500', async (_, route, body) => {
    calls += 1;
    const response = await request(fixture.server.url, route(), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await fixture.server.tokenFor('nul-admin', 'admin')}`,
        'idempotency-key': `nul-rest-${calls}`,
      },
      body: JSON.stringify(body()),
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });
});

const LONE_HALF = UNSTORABLE[1][1];
const ADDRESS_FIELDS = ['line1', 'line2', 'city', 'region', 'postalCode', 'name'] as const;
/** What a refusal of such text says, in words a client understands. */
const SAYS_WHY = /none of them NUL \(U\+0000\) or half of a UTF-16 surrogate pair/;

/** A REST call of the admin's (its own key), answered as parsed JSON. */
async function restCall(route: string, body: object, customerId = 'nul-admin') {
  calls += 1;
  const response = await request(fixture.server.url, route, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${await fixture.server.tokenFor(customerId, 'admin')}`,
      'idempotency-key': `text-rest-${calls}`,
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: JSON.parse(response.text) as Record<string, unknown> };
}

/** A GraphQL call of the customer's, answered as its root field's value. */
async function graphQLCall(query: string, variables: Record<string, unknown>, customerId = 'nul-user') {
  const token = await fixture.server.tokenFor(customerId);
  const response = await postGraphQL(fixture.server.url, query, variables, { token });
  expect(response.body.errors).toBeUndefined();
  return Object.values(response.body.data ?? {})[0] as Record<string, unknown> | null;
}

describe('half of a surrogate pair is answered as a wrong input that says why', () => {
  const createOrder =
    'mutation($key: String!, $input: CreateOrderInput!) { createOrder(idempotencyKey: $key, input: $input) { __typename ... on ValidationFailed { field message } } }';
  const changeAddress =
    'mutation($orderId: ID!, $address: ShippingAddressInput!, $key: String) { changeShippingAddress(orderId: $orderId, address: $address, idempotencyKey: $key) { __typename ... on ValidationFailed { field message } } }';

  it.each(ADDRESS_FIELDS)('createOrder: the address’s %s is ValidationFailed', async (field) => {
    const input = { ...orderInput, shippingAddress: { ...address, [field]: LONE_HALF } };
    const answer = await graphQLCall(createOrder, { key: `half-create-${field}`, input });
    expect(answer).toEqual({
      __typename: 'ValidationFailed',
      field: `shippingAddress.${field}`,
      message: expect.stringMatching(SAYS_WHY),
    });
  });

  it.each(ADDRESS_FIELDS)('changeShippingAddress: the address’s %s is ValidationFailed', async (field) => {
    const variables = { orderId: ids.order, address: { ...address, [field]: LONE_HALF }, key: `half-address-${field}` };
    const answer = await graphQLCall(changeAddress, variables);
    expect(answer).toEqual({
      __typename: 'ValidationFailed',
      field: expect.stringContaining(field),
      message: expect.stringMatching(SAYS_WHY),
    });
  });

  it.each(ADDRESS_FIELDS)('POST /api/v1/orders: the address’s %s is a 400 VALIDATION_FAILED problem', async (field) => {
    const { status, json } = await restCall('/api/v1/orders', {
      currency: 'EUR',
      items: orderInput.items,
      shippingAddress: { ...address, [field]: LONE_HALF },
    });
    expect(status).toBe(400);
    expect(json).toMatchObject({ code: 'VALIDATION_FAILED', detail: expect.stringMatching(SAYS_WHY) });
  });

  it('a cancellation’s reason and an item’s SKU say why too', async () => {
    const cancel = await restCall(`/api/v1/orders/${ids.order}/cancel`, { reason: LONE_HALF });
    expect(cancel).toMatchObject({
      status: 400,
      json: { code: 'VALIDATION_FAILED', detail: expect.stringMatching(SAYS_WHY) },
    });
    const input = { ...orderInput, items: [{ sku: LONE_HALF, quantity: 1 }] };
    const answer = await graphQLCall(createOrder, { key: 'half-create-sku', input });
    expect(answer).toEqual({
      __typename: 'ValidationFailed',
      field: 'items[0].sku',
      message: expect.stringMatching(SAYS_WHY),
    });
  });

  it.each([
    ['createOrder', createOrder, { input: orderInput }],
    [
      'cancelOrder',
      'mutation($key: String, $orderId: ID!) { cancelOrder(orderId: $orderId, reason: "x", idempotencyKey: $key) { __typename } }',
      {},
    ],
  ])('%s: a key holding it is InvalidIdempotencyKey', async (_name, query, variables) => {
    const answer = await graphQLCall(query, { orderId: ids.order, ...variables, key: `half-key-${LONE_HALF}` });
    expect(answer).toMatchObject({ __typename: 'InvalidIdempotencyKey' });
  });

  it('a lookup by such text finds nothing: product(sku) is null', async () => {
    const answer = await graphQLCall('query($sku: String!) { product(sku: $sku) { sku } }', {
      sku: `NUL-1${LONE_HALF}`,
    });
    expect(answer).toBeNull();
  });
});

describe('after every refusal above', () => {
  it('no text was stored with half a surrogate pair replaced by U+FFFD', async () => {
    expect(await rowsWithReplacementCharacter()).toEqual([]);
  });

  it('the order and the held order every call ran against are as they were', async () => {
    expect(
      await fixture.db.query('SELECT status::text, "shippingAddress" FROM "Order" WHERE id = $1', [ids.order]),
    ).toEqual([{ status: 'CONFIRMED', shippingAddress: null }]);
    expect(await fixture.db.query('SELECT status FROM "HeldOrder" WHERE id = $1', [ids.held])).toEqual([
      { status: 'HELD' },
    ]);
    expect(await fixture.db.query('SELECT operation FROM "AppliedChange"')).toEqual([]);
  });
});

describe('a well-formed surrogate pair (🍵) is text like any other', () => {
  const tea = Object.fromEntries(
    Object.entries(address).map(([field, value]) => [field, field === 'country' ? value : `${value} 🍵`]),
  );
  const ORDER_ADDRESS = 'shippingAddress { line1 line2 city region postalCode country name }';

  it('createOrder keeps it in every field of the address, and changeShippingAddress and a cancellation too', async () => {
    const created = await graphQLCall(
      `mutation($key: String!, $input: CreateOrderInput!) { createOrder(idempotencyKey: $key, input: $input) { __typename ... on OrderCreated { order { id ${ORDER_ADDRESS} } } } }`,
      { key: 'tea-create-0001', input: { ...orderInput, shippingAddress: tea } },
      'tea-user',
    );
    expect(created).toEqual({ __typename: 'OrderCreated', order: { id: expect.any(String), shippingAddress: tea } });
    const orderId = (created as { order: { id: string } }).order.id;

    const moved = { ...tea, line1: '2 Tea Lane 🍵🍵' };
    const changed = await graphQLCall(
      `mutation($orderId: ID!, $address: ShippingAddressInput!) { changeShippingAddress(orderId: $orderId, address: $address, idempotencyKey: "tea-address-0001") { __typename ... on ShippingAddressChanged { order { ${ORDER_ADDRESS} } } } }`,
      { orderId, address: moved },
      'tea-user',
    );
    expect(changed).toEqual({ __typename: 'ShippingAddressChanged', order: { shippingAddress: moved } });

    const cancelled = await graphQLCall(
      'mutation($orderId: ID!) { cancelOrder(orderId: $orderId, reason: "too much 🍵", idempotencyKey: "tea-cancel-0001") { __typename ... on OrderCancelled { reason } } }',
      { orderId },
      'tea-user',
    );
    expect(cancelled).toEqual({ __typename: 'OrderCancelled', reason: 'too much 🍵' });
  });

  it('POST /api/v1/orders keeps it', async () => {
    const { status, json } = await restCall(
      '/api/v1/orders',
      { currency: 'EUR', items: orderInput.items, shippingAddress: tea },
      'tea-admin',
    );
    expect(status).toBe(201);
    expect(json['shippingAddress']).toEqual(tea);
  });

  it('upsertProduct keeps it in a name and a SKU, and product(sku) finds it', async () => {
    const admin = await fixture.server.tokenFor('tea-admin', 'admin');
    const input = { sku: 'TEA-🍵', name: 'Green tea 🍵', currency: 'EUR', priceCents: 100, stock: 1 };
    const upserted = await postGraphQL(
      fixture.server.url,
      'mutation($input: ProductInput!) { upsertProduct(input: $input) { sku name } }',
      { input },
      { token: admin },
    );
    expect(upserted.body).toEqual({ data: { upsertProduct: { sku: 'TEA-🍵', name: 'Green tea 🍵' } } });
    const found = await graphQLCall('query($sku: String!) { product(sku: $sku) { name } }', { sku: 'tea-🍵' });
    expect(found).toEqual({ name: 'Green tea 🍵' });
  });
});
