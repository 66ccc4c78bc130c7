import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { seedProducts } from '../support/catalog';
import { post } from '../support/channels';
import type { JsonResponse } from '../support/channels';
import { request } from '../support/http';
import { PROJECT_ROOT } from '../support/server';
import { withTestServer } from '../support/test-server-fixture';

// What POST /api/v1/orders takes, at every depth, and gives, and its documents saying the same.

const fixture = withTestServer('partner-api-shape');

beforeAll(async () => {
  await seedProducts(fixture.db.url, [{ sku: 'SHAPE-1', priceCents: 300, stock: 1_000 }]);
});

const cart = { currency: 'EUR', items: [{ sku: 'SHAPE-1', quantity: 1 }] };
const address = { line1: '1 A St', city: 'Berlin', postalCode: '10115', country: 'de' };

async function createOrder(token: string, key: string, body: unknown): Promise<JsonResponse> {
  return post(fixture.server.url, '/api/v1/orders', JSON.stringify(body), {
    'content-type': 'application/json',
    authorization: `Bearer ${token}`,
    'idempotency-key': key,
  });
}

describe('POST /api/v1/orders', () => {
  it('refuses an unknown field inside items[] or shippingAddress like one at the top: 400 naming it, nothing written', async () => {
    const customer = `shape-${randomUUID()}`;
    const token = await fixture.server.tokenFor(customer);
    const bodies: [unknown, string][] = [
      [{ ...cart, note: 'x' }, 'note'],
      [{ ...cart, items: [{ sku: 'SHAPE-1', quantity: 1, price: 1 }] }, 'items[0].price'],
      [{ ...cart, shippingAddress: { ...address, line_2: 'Flat 4' } }, 'shippingAddress.line_2'],
      // Misspelt: unknown, and the real field missing; the answer names the misspelling.
      [{ currency: 'EUR', itms: cart.items }, 'itms'],
      [
        { ...cart, shippingAddress: { line1: '1 A St', city: 'Berlin', postcode: '10115', country: 'de' } },
        'shippingAddress.postcode',
      ],
    ];
    for (const [body, field] of bodies) {
      const answer = await createOrder(token, `shape-${randomUUID()}`, body);
      expect([answer.status, answer.json['code'], answer.json['field']]).toEqual([400, 'VALIDATION_FAILED', field]);
    }
    expect(await fixture.db.query('SELECT 1 FROM "Order" WHERE "customerId" = $1', [customer])).toEqual([]);
    // The same order with only known fields is placed, its address whole.
    const placed = await createOrder(token, `shape-${randomUUID()}`, {
      ...cart,
      shippingAddress: { ...address, line2: 'Flat 4' },
    });
    expect([placed.status, placed.json['shippingAddress']]).toEqual([
      201,
      expect.objectContaining({ line2: 'Flat 4' }),
    ]);
  });
});

describe('docs/channels.md', () => {
  it('lists every field of the 201 body', async () => {
    const token = await fixture.server.tokenFor(`shape-doc-${randomUUID()}`);
    const created = await createOrder(token, `shape-${randomUUID()}`, cart);
    const doc = readFileSync(path.join(PROJECT_ROOT, 'docs/channels.md'), 'utf8');
    const row = doc.split('\n').find((line) => line.startsWith('| **201** |')) ?? '';
    const listed = [...row.matchAll(/`(\w+)[`[]/g)].map((match) => match[1]);
    expect([created.status, listed.sort()]).toEqual([201, Object.keys(created.json).sort()]);
  });
});

describe('the OpenAPI document', () => {
  async function documentOf(): Promise<OpenApiDocument> {
    return JSON.parse((await request(fixture.server.url, '/api/v1/openapi.json')).text) as OpenApiDocument;
  }

  it('says the request body refuses unknown fields at every depth', async () => {
    const body = (await documentOf()).components.schemas['OrderRequest'];
    expect([
      body.additionalProperties,
      body.properties.items.items.additionalProperties,
      body.properties.shippingAddress.additionalProperties,
    ]).toEqual([false, false, false]);
  });

  it('names no 400 code the route cannot give: no orderToken field, so no INVALID_ORDER_TOKEN', async () => {
    const document = await documentOf();
    const token = await fixture.server.tokenFor(`shape-token-${randomUUID()}`);
    const answer = await createOrder(token, `shape-${randomUUID()}`, { ...cart, orderToken: 'ot_x' });
    expect([answer.status, answer.json['code'], answer.json['field']]).toEqual([
      400,
      'VALIDATION_FAILED',
      'orderToken',
    ]);
    expect(Object.keys(document.components.schemas['OrderRequest'].properties)).not.toContain('orderToken');
    const described = document.paths['/api/v1/orders'].post.responses['400'].description;
    expect(described.match(/\b[A-Z]+(?:_[A-Z]+)+\b/g)).toEqual([
      'BAD_IDEMPOTENCY_KEY',
      'MISSING_IDEMPOTENCY_KEY',
      'REPEATED_IDEMPOTENCY_KEY',
      'VALIDATION_FAILED',
      'BAD_REQUEST',
    ]);
  });

  it("gives the Idempotency-Key the server's pattern: bare or in both quotes, never one quote", async () => {
    const [parameter] = (await documentOf()).paths['/api/v1/orders'].post.parameters;
    const pattern = new RegExp(parameter.schema.pattern);
    const token = await fixture.server.tokenFor(`shape-key-${randomUUID()}`);
    const key = `quote-${randomUUID()}`;
    for (const candidate of [key, `"${key}"`, `"${key}`, `${key}"`, `"${key}""`]) {
      const answer = await createOrder(token, candidate, cart);
      const refused = answer.status === 400 && answer.json['code'] === 'BAD_IDEMPOTENCY_KEY';
      expect([candidate, pattern.test(candidate)]).toEqual([candidate, !refused]);
    }
  });
});

interface OpenApiDocument {
  paths: Record<
    string,
    {
      post: {
        parameters: { name: string; schema: { pattern: string } }[];
        responses: Record<string, { description: string }>;
      };
    }
  >;
  components: { schemas: Record<string, OrderRequestSchema> };
}

interface OrderRequestSchema {
  additionalProperties: unknown;
  properties: {
    items: { items: { additionalProperties: unknown } };
    shippingAddress: { additionalProperties: unknown };
  };
}
