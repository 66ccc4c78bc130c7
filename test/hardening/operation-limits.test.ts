import { getIntrospectionQuery } from 'graphql';
import { postGraphQL } from '../support/graphql-client';
import { CREATE_ORDER } from '../support/operations';
import { startTestServer } from '../support/server';
import type { TestServer } from '../support/server';
import { withTestServer } from '../support/test-server-fixture';

let token: string;

const fixture = withTestServer('limits');

beforeAll(async () => {
  token = await fixture.server.tokenFor('kim');
});

const GRAPHQL_RESPONSE_JSON = { accept: 'application/graphql-response+json' };

/**
 * The answer as an `application/json` client gets it (no Accept header), with the status an
 * `application/graphql-response+json` client gets for the same operation: a request error is
 * 200 for the first (GraphQL over HTTP) and 400 for the second.
 */
async function rejection(query: string, target: TestServer = fixture.server) {
  const response = await postGraphQL(target.url, query, {}, { token });
  const graphqlResponse = await postGraphQL(target.url, query, {}, { token, headers: GRAPHQL_RESPONSE_JSON });
  return {
    status: response.status,
    graphqlResponseStatus: graphqlResponse.status,
    data: response.body.data,
    errors: response.body.errors?.map((error) => [error.extensions?.['code'], error.message]),
  };
}

const nested = (levels: number) =>
  `{ __type(name: "Order") { fields { type ${'{ ofType '.repeat(levels)}{ name }${' }'.repeat(levels)} } } }`;

describe('operation limits (defaults)', () => {
  it('rejects a query deeper than 10 levels before execution', async () => {
    expect(await rejection(nested(8))).toEqual({
      status: 200,
      graphqlResponseStatus: 400,
      data: undefined,
      errors: [['GRAPHQL_VALIDATION_FAILED', 'Query depth limit of 10 exceeded, found 12.']],
    });
    expect((await postGraphQL(fixture.server.url, nested(6))).status).toBe(200);
  });

  it('rejects more than 15 aliases (__typename aside)', async () => {
    const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: orders(first: 1) { id }`).join(' ');
    expect(await rejection(`{ ${aliases} }`)).toEqual({
      status: 200,
      graphqlResponseStatus: 400,
      data: undefined,
      errors: [['GRAPHQL_VALIDATION_FAILED', 'Aliases limit of 15 exceeded, found 16.']],
    });
  });

  it('stops parsing a document of more than 1 000 tokens', async () => {
    const query = `{ ${'__typename '.repeat(999)}}`; // 999 fields + 2 braces
    expect(await rejection(query)).toEqual({
      status: 200,
      graphqlResponseStatus: 400,
      data: undefined,
      // (sic: graphql 16 spells it "more that")
      errors: [
        [
          'GRAPHQL_PARSE_FAILED',
          expect.stringMatching(/^Syntax Error: Document contains more tha[nt] 1000 tokens\. Parsing aborted\.$/),
        ],
      ],
    });
  });

  it('lets the operations clients really send through: createOrder with every field, and the full introspection query', async () => {
    const order = await postGraphQL(
      fixture.server.url,
      CREATE_ORDER,
      { key: 'limits-key-0001', input: { currency: 'EUR', items: [{ sku: 'NOPE', quantity: 1 }] } },
      { token },
    );
    expect(order.body).toEqual({
      data: { createOrder: { __typename: 'ValidationFailed', field: expect.any(String), message: expect.any(String) } },
    });
    const introspection = await postGraphQL(
      fixture.server.url,
      getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }),
    );
    expect(introspection.status).toBe(200);
    expect(introspection.body.errors).toBeUndefined();
  });
});

describe('the cost limit over HTTP (default 5 000)', () => {
  it('accepts the largest page of an admin list with its scalar fields, refuses large pages of relations repeated', async () => {
    const admin = await fixture.server.tokenFor('ops', 'admin');
    const attempts = '{ duplicateAttempts(first: 500) { id at operation outcome customerId orderId } }';
    const accepted = await postGraphQL(fixture.server.url, attempts, {}, { token: admin });
    expect([accepted.status, accepted.body.errors]).toEqual([200, undefined]);
    expect(accepted.body.data).toEqual({ duplicateAttempts: expect.any(Array) });

    const page = 'orders(first: 100) { id items { product { sku } } refunds { lines { sku } } }';
    const expensive = `{ a: ${page} b: ${page} c: ${page} }`;
    expect(await rejection(expensive)).toEqual({
      status: 200,
      graphqlResponseStatus: 400,
      data: undefined,
      errors: [['GRAPHQL_VALIDATION_FAILED', 'Query Cost limit of 5000 exceeded, found 5700.']],
    });
  });
});

describe('operation limits (configured)', () => {
  it('rejects an operation over GRAPHQL_MAX_COST', async () => {
    const strict = await startTestServer(fixture.db.url, 'limits-cost', { GRAPHQL_MAX_COST: '20' });
    try {
      expect(await rejection('{ orders { id items { sku product { id sku name } } } }', strict)).toEqual({
        status: 200,
        graphqlResponseStatus: 400,
        data: undefined,
        errors: [
          ['GRAPHQL_VALIDATION_FAILED', expect.stringMatching(/^Query Cost limit of 20 exceeded, found [\d.]+\.$/)],
        ],
      });
      expect(await rejection('{ orders { id } }', strict)).toEqual({
        status: 200,
        graphqlResponseStatus: 200,
        data: { orders: [] },
        errors: undefined,
      });
    } finally {
      await strict.stop();
    }
  });
});
