import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildSchema, getNamedType, isInputObjectType, isObjectType } from 'graphql';
import pino from 'pino';
import { createApp } from '../../src/app/create-app';
import type { App } from '../../src/app/create-app';
import { loadConfig } from '../../src/config/config';
import { seedProducts } from '../support/catalog';
import { postRaw } from '../support/graphql-client';
import { request } from '../support/http';
import { CREATE_ORDER, ISSUE_ORDER_TOKEN } from '../support/operations';
import { newKey } from '../support/order-client';
import { deleteRedisPrefix } from '../support/redis';
import { PROJECT_ROOT, testEnvironment } from '../support/server';
import { withTestServer } from '../support/test-server-fixture';

// Bad input the tester sent: each gets a typed client answer with a stable code, never a 500 nor
// a masked INTERNAL_SERVER_ERROR (docs/http.md, "Errors").

const fixture = withTestServer('client-errors', { SEMANTIC_DUPLICATE_POLICY: 'OFF' });
const json = (text: string): unknown => JSON.parse(text);

let token: string;
beforeAll(async () => {
  token = await fixture.server.tokenFor('kim');
  await seedProducts(fixture.db.url, [{ sku: 'CE-A', priceCents: 300, stock: 1_000 }]);
});

/** A second server on the same database whose log lines are kept, to see that a refusal is not logged as a defect. */
const logged = { url: '', lines: [] as { level: number; msg: string }[] };
let loggedApp: App | undefined;
let loggedPrefix = '';
beforeAll(async () => {
  const config = loadConfig(testEnvironment(fixture.db.url, 'client-errors-logged'));
  loggedPrefix = config.redisKeyPrefix;
  const sink = { write: (line: string) => logged.lines.push(JSON.parse(line) as { level: number; msg: string }) };
  loggedApp = await createApp(config, pino({ level: 'info' }, sink));
  logged.url = (await loggedApp.start()).url;
});
afterAll(async () => {
  await loggedApp?.stop();
  await deleteRedisPrefix(loggedPrefix).catch(() => undefined);
});
/** The messages logged at error level (pino's 50) or above since the last call. */
function errorsLogged(): string[] {
  const errors = logged.lines.filter((line) => line.level >= 50).map((line) => line.msg);
  logged.lines.length = 0;
  return errors;
}

describe('JSON nested too deep (F4)', () => {
  const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
  const tooDeep = [
    400,
    {
      errors: [{ message: "The request's JSON is nested deeper than 64 levels.", extensions: { code: 'BAD_REQUEST' } }],
    },
  ];
  const CANCEL = 'mutation($id: ID!) { cancelOrder(orderId: $id, reason: "r", idempotencyKey: "k") { __typename } }';

  it.each([
    ['issueOrderToken', ISSUE_ORDER_TOKEN],
    ['createOrder', CREATE_ORDER],
    ['cancelOrder', CANCEL],
    ['a query', '{ __typename }'],
  ])('answers %s with 5 000 levels of variables with a 400 BAD_REQUEST and a request id', async (_name, query) => {
    const body = `{"query":${JSON.stringify(query)},"variables":{"x":${nested(5000)}}}`;
    const response = await postRaw(fixture.server.url, body, { token, headers: { 'x-request-id': 'deep-1' } });
    expect([response.status, json(response.text)]).toEqual(tooDeep);
    expect(response.headers['x-request-id']).toBe('deep-1');
  });

  it('refuses the same through Express (a compressed body) and in a GET', async () => {
    const body = `{"query":"mutation { issueOrderToken { token } }","extensions":{"x":${nested(5000)}}}`;
    const compressed = await request(fixture.server.url, '/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: `Bearer ${token}` },
      body: gzipSync(body),
    });
    expect([compressed.status, json(compressed.text)]).toEqual(tooDeep);
    // 100 levels: 5 000 would not fit in the 16 KiB of headers Node reads (a bare 431 first).
    const variables = encodeURIComponent(`{"x":${nested(100)}}`);
    const get = await request(
      fixture.server.url,
      `/graphql?query=${encodeURIComponent('{ __typename }')}&variables=${variables}`,
      {
        headers: { 'apollo-require-preflight': 'true' },
      },
    );
    expect([get.status, json(get.text)]).toEqual(tooDeep);
  });

  it('counts only brackets outside strings, and serves a body of 64 levels', async () => {
    const body = JSON.stringify({
      query: '{ __typename }',
      variables: { s: '['.repeat(100), x: JSON.parse(nested(62)) as unknown },
    });
    const response = await postRaw(fixture.server.url, body, { token });
    expect([response.status, json(response.text)]).toEqual([200, { data: { __typename: 'Query' } }]);
  });

  it('leaves no claim behind: the key refused with deep variables places its order next time', async () => {
    const key = newKey('deep');
    const variables = { key, input: { currency: 'EUR', items: [{ sku: 'CE-A', quantity: 1 }] } };
    const deep = `{"query":${JSON.stringify(CREATE_ORDER)},"variables":${JSON.stringify(variables).slice(0, -1)},"x":${nested(5000)}}}`;
    expect((await postRaw(fixture.server.url, deep, { token })).status).toBe(400);
    const response = await postRaw(fixture.server.url, JSON.stringify({ query: CREATE_ORDER, variables }), { token });
    expect((json(response.text) as { data: { createOrder: { __typename: string } } }).data.createOrder.__typename).toBe(
      'OrderCreated',
    );
  });
});

describe('a bad persisted-query extension (F5)', () => {
  const BAD_REQUEST = (message: string) => [400, { errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] }];

  it.each([
    [
      "a hash that is not the query's",
      { query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: '00' } } },
      'provided sha does not match query',
    ],
    [
      'version 2',
      { extensions: { persistedQuery: { version: 2, sha256Hash: '00' } } },
      'Unsupported persisted query version',
    ],
    [
      'a string',
      { query: '{ __typename }', extensions: { persistedQuery: 'x' } },
      'Unsupported persisted query version',
    ],
  ])('answers %s with 400 BAD_REQUEST, not logged as an error', async (_name, body, message) => {
    errorsLogged();
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      const response = await postRaw(logged.url, JSON.stringify(body), { headers: { accept } });
      expect([response.status, json(response.text)]).toEqual(BAD_REQUEST(message));
    }
    expect(errorsLogged()).toEqual([]);
  });

  it("keeps Apollo's own code for a hash it does not know", async () => {
    const body = { extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } } };
    const response = await postRaw(logged.url, JSON.stringify(body));
    expect(json(response.text)).toEqual({
      errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }],
    });
  });
});

describe('a subscription (F6)', () => {
  it('is a validation error (GRAPHQL_VALIDATION_FAILED: 200 in application/json, 400 in graphql-response+json), not logged', async () => {
    errorsLogged();
    const body = JSON.stringify({ query: 'subscription { orders { id } }' });
    const refusal = {
      errors: [
        {
          message: 'This API has no subscription operations: send a query or a mutation.',
          locations: [{ line: 1, column: 1 }],
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        },
      ],
    };
    const plain = await postRaw(logged.url, body);
    expect([plain.status, json(plain.text)]).toEqual([200, refusal]);
    const typed = await postRaw(logged.url, body, { headers: { accept: 'application/graphql-response+json' } });
    expect([typed.status, json(typed.text)]).toEqual([400, refusal]);
    expect(errorsLogged()).toEqual([]);
  });
});

describe('a DateTime argument out of range (F8)', () => {
  const attemptsSince = (since: string) =>
    JSON.stringify({
      query: 'query($since: DateTime) { duplicateAttempts(since: $since) { id } }',
      variables: { since },
    });

  it('answers year 0 with BAD_USER_INPUT naming the argument, as a variable or a literal, not logged', async () => {
    const admin = await fixture.server.tokenFor('ops', 'admin');
    errorsLogged();
    const refusal = {
      message: '`since` must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z.',
      extensions: { code: 'BAD_USER_INPUT', field: 'since' },
    };
    const variable = await postRaw(logged.url, attemptsSince('0000-01-01T00:00:00Z'), { token: admin });
    expect([variable.status, json(variable.text)]).toEqual([
      200,
      { data: null, errors: [{ ...refusal, locations: [{ line: 1, column: 27 }], path: ['duplicateAttempts'] }] },
    ]);
    const literal = await postRaw(
      logged.url,
      JSON.stringify({ query: '{ duplicateAttempts(since: "0000-12-31T23:59:59.999Z") { id } }' }),
      { token: admin },
    );
    expect((json(literal.text) as { errors: { extensions: unknown }[] }).errors[0].extensions).toEqual(
      refusal.extensions,
    );
    expect(errorsLogged()).toEqual([]);
  });

  it('serves the first and the last instant of the range', async () => {
    const admin = await fixture.server.tokenFor('ops', 'admin');
    for (const since of ['0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z']) {
      const response = await postRaw(fixture.server.url, attemptsSince(since), { token: admin });
      expect([response.status, json(response.text)]).toEqual([200, { data: { duplicateAttempts: [] } }]);
    }
  });

  it('knows every DateTime argument of the schema (each must call assertStorableDate, src/request/date-argument.ts)', () => {
    const schema = buildSchema(readFileSync(path.join(PROJECT_ROOT, 'schema.graphql'), 'utf8'));
    const dateInputs: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (isObjectType(type))
        for (const field of Object.values(type.getFields()))
          for (const arg of field.args)
            if (getNamedType(arg.type).name === 'DateTime') dateInputs.push(`${type.name}.${field.name}(${arg.name})`);
      if (isInputObjectType(type))
        for (const field of Object.values(type.getFields()))
          if (getNamedType(field.type).name === 'DateTime') dateInputs.push(`${type.name}.${field.name}`);
    }
    expect(dateInputs).toEqual(['Query.duplicateAttempts(since)']);
  });
});

describe('a defaulted variable sent as null where a non-null value is required (F9)', () => {
  // Validation allows it (the default makes the variable usable there); graphql-js refused it only
  // while executing, as a field error the masking answered INTERNAL_SERVER_ERROR and logged.
  const ITEMS = '{currency: "EUR", items: [{sku: "CE-A", quantity: 1}]}';
  const cases: [string, string, Record<string, unknown>, string, string][] = [
    [
      'createOrder(idempotencyKey: $k)',
      `mutation($k: String = "nul-1") { createOrder(idempotencyKey: $k, input: ${ITEMS}) { __typename } }`,
      { k: null },
      '$k',
      'String!',
    ],
    ['@include(if: $b)', 'query($b: Boolean = true) { __typename @include(if: $b) }', { b: null }, '$b', 'Boolean!'],
    [
      'cancelOrder(orderId: $o)',
      'mutation($o: ID = "x") { cancelOrder(orderId: $o, reason: "r", idempotencyKey: "nul-2") { __typename } }',
      { o: null },
      '$o',
      'ID!',
    ],
    ['product(sku: $s)', 'query($s: String = "CE-A") { product(sku: $s) { sku } }', { s: null }, '$s', 'String!'],
    [
      'createOrder(input: $i)',
      `mutation($i: CreateOrderInput = ${ITEMS}) { createOrder(idempotencyKey: "nul-3", input: $i) { __typename } }`,
      { i: null },
      '$i',
      'CreateOrderInput!',
    ],
    [
      'an input field, inside a fragment',
      'mutation($q: Int = 1) { ...F } fragment F on Mutation { createOrder(idempotencyKey: "nul-4", input: {currency: "EUR", items: [{sku: "CE-A", quantity: $q}]}) { __typename } }',
      { q: null },
      '$q',
      'Int!',
    ],
  ];

  it.each(cases)(
    'answers %s with BAD_USER_INPUT on both paths (200 in application/json, 400 in graphql-response+json), not logged',
    async (_name, query, variables, variable, type) => {
      errorsLogged();
      const body = JSON.stringify({ query, variables });
      const expected = expect.objectContaining({
        errors: [
          expect.objectContaining({
            message: expect.stringMatching(
              `^Variable "\\${variable}" got invalid value null; it is used where a non-null "${type}" is required`,
            ) as unknown,
            extensions: { code: 'BAD_USER_INPUT' },
          }),
        ],
      });
      const plain = await postRaw(logged.url, body, { token });
      expect([plain.status, json(plain.text)]).toEqual([200, expected]);
      expect(json(plain.text)).not.toHaveProperty('data');
      const typed = await postRaw(logged.url, body, {
        token,
        headers: { accept: 'application/graphql-response+json' },
      });
      expect([typed.status, json(typed.text)]).toEqual([400, expected]);
      // Through Express (a compressed body): the same answer.
      const express = await request(logged.url, '/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: `Bearer ${token}` },
        body: gzipSync(body),
      });
      expect([express.status, json(express.text)]).toEqual([plain.status, json(plain.text)]);
      expect(errorsLogged()).toEqual([]);
    },
  );

  it('still serves the default when the variable is left out, and a null where null is allowed', async () => {
    const product = await postRaw(
      logged.url,
      JSON.stringify({ query: 'query($s: String = "CE-A") { product(sku: $s) { sku } }', variables: {} }),
      { token },
    );
    expect(json(product.text)).toEqual({ data: { product: { sku: 'CE-A' } } });
    const nullable = await postRaw(
      logged.url,
      JSON.stringify({
        query:
          'mutation($k: String = "x") { cancelOrder(orderId: "none", reason: "r", idempotencyKey: $k) { __typename } }',
        variables: { k: null },
      }),
      { token },
    );
    expect(json(nullable.text)).not.toHaveProperty('errors');
  });
});
