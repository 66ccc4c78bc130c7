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

// PostgreSQL's text cannot hold U+0000: a NUL that reaches a query fails it (SQLSTATE 22021). Every
// text argument of every root field, and every text path of the REST API, must answer such a value
// with a typed refusal (a union member, or an error with a stable code below 500), never
// INTERNAL_SERVER_ERROR. The arguments are read from schema.graphql, so a new one without a case
// here fails this file.

const fixture = withTestServer('nul-arguments');
const NUL = 'nul\u0000text';
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
      'query($customerId: ID, $orderId: ID) { duplicateAttempts(customerId: $customerId, orderId: $orderId) { outcome } }',
    variables: () => ({ customerId: 'nul-customer', orderId: ids.order }),
  },
  order: { query: 'query($id: ID!) { order(id: $id) { id } }', variables: () => ({ id: ids.order }) },
  orderHistory: {
    admin: true,
    query: 'query($orderId: ID!) { orderHistory(orderId: $orderId) { outcome } }',
    variables: () => ({ orderId: ids.order }),
  },
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

/** The call's variables with NUL written at `path` (field.argument[.inputField…]; lists: their first element). */
function withNulAt(path: string): { admin?: boolean; query: string; variables: Record<string, unknown> } {
  const [field, ...rest] = path.split('.');
  const call = CALLS[field];
  if (!call) throw new Error(`no call for ${field}: add one to CALLS`);
  const variables = structuredClone(call.variables());
  let holder: Record<string, unknown> = variables;
  for (const [index, name] of rest.entries()) {
    if (index === rest.length - 1) holder[name] = NUL;
    else {
      const next = holder[name];
      holder = (Array.isArray(next) ? next[0] : next) as Record<string, unknown>;
    }
  }
  return { admin: call.admin, query: call.query, variables };
}

beforeAll(async () => {
  await seedProducts(fixture.db.url, [{ sku: 'NUL-1', priceCents: 100, stock: 100 }]);
  const { candidateId, heldOrderId } = await holdOne(fixture.server, 'nul-user', 'NUL-1', 1);
  Object.assign(ids, { order: candidateId, held: heldOrderId });
});

describe('a NUL in any text argument', () => {
  const paths = textArgumentPaths();

  it('the schema has text arguments, each with a call here', () => {
    expect(paths.length).toBeGreaterThan(20);
    for (const argumentPath of paths) expect(() => withNulAt(argumentPath)).not.toThrow();
  });

  it.each(paths)('%s is refused with a typed answer, not an internal error', async (argumentPath) => {
    const { admin, query, variables } = withNulAt(argumentPath);
    const token = await fixture.server.tokenFor('nul-user', admin ? 'admin' : 'customer');
    const response = await postGraphQL(fixture.server.url, query, variables, { token });
    expect(response.status).toBeLessThan(500);
    const codes = (response.body.errors ?? []).map((error) => error.extensions?.['code']);
    expect(codes).not.toContain('INTERNAL_SERVER_ERROR');
    expect(JSON.stringify(response.body)).not.toMatch(/\bat \S+ \(|22021|invalid byte sequence/);
  });
});

describe('a NUL in the REST API’s text paths', () => {
  it.each([
    ['the SKU in the path', '/api/v1/inventory/NUL%00-1/adjustments', { delta: 1, reason: 'recount' }],
    ['the reason', '/api/v1/inventory/NUL-1/adjustments', { delta: 1, reason: NUL }],
    ['a cancellation’s reason', `/api/v1/orders/${ids.order}/cancel`, { reason: NUL }],
    ['an order id in the path', '/api/v1/orders/nul%00id/cancel', { reason: 'x' }],
    ['a refund’s SKU', `/api/v1/orders/${ids.order}/refunds`, { lines: [{ sku: NUL, quantity: 1 }] }],
    ['a new address', `/api/v1/orders/${ids.order}/shipping-address`, { address: { ...address, line1: NUL } }],
    ['a dismissal’s reason', `/api/v1/held-orders/${ids.held}/dismiss`, { reason: NUL }],
    ['a held order id in the path', '/api/v1/held-orders/nul%00id/release', {}],
  ])('%s is refused with a 4xx problem, not a 500', async (_, route, body) => {
    const response = await request(fixture.server.url, route, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await fixture.server.tokenFor('nul-admin', 'admin')}`,
        'idempotency-key': `nul-rest-${route.length}-${Object.keys(body).length}`,
      },
      body: JSON.stringify(body),
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });
});
