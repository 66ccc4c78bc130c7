import { format } from 'node:util';
import { ApolloServer } from '@apollo/server';
import type { ApolloServerPlugin } from '@apollo/server';
import pino from 'pino';
import { createApp } from '../../src/app/create-app';
import type { App } from '../../src/app/create-app';
import * as jwt from '../../src/auth/jwt';
import { loadConfig } from '../../src/config/config';
import type { Config } from '../../src/config/config';
import * as apolloServer from '../../src/graphql/apollo-server';
import type { GraphQLContext } from '../../src/graphql/context';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { request } from '../support/http';
import type { RawResponse } from '../support/http';
import { deleteRedisPrefix } from '../support/redis';
import { testEnvironment } from '../support/server';
import { waitUntil } from '../support/wait';

// Every way found for Apollo Server's side of a request to end in HTTP 500, provoked in the real
// server (PostgreSQL, Redis) through both of its ways into Apollo: the direct JSON POST path
// (graphql-endpoint.ts) and Express's (a GET). Each must answer the masked error with the request
// id, and every line the process writes meanwhile must be a JSON line carrying that id, one of
// them with the fault's stack. Apollo's default logger writes plain text to the console, so the
// console and stdout/stderr are captured along with the app logger's own stream.

/** The faults: a plugin hook that throws (its name), the context function, or Apollo's call itself. */
const FAULTS = ['requestDidStart', 'didResolveOperation', 'willSendResponse', 'context', 'escaping'] as const;
type Fault = (typeof FAULTS)[number];

const faultMessage = (fault: Fault) => `fault injected: ${fault}`;

/** Throws in the hook named by the request's `x-fault` header. */
const faultPlugin: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart({ request: graphQLRequest }) {
    const fault = graphQLRequest.http?.headers.get('x-fault');
    const failIn = (hook: Fault) => {
      if (fault === hook) throw new Error(faultMessage(hook));
    };
    failIn('requestDidStart');
    return {
      async didResolveOperation() {
        failIn('didResolveOperation');
      },
      async willSendResponse() {
        failIn('willSendResponse');
      },
    };
  },
};

/** Every line written, in order: the app logger's, the console's, stdout's and stderr's. */
const written: string[] = [];
const capture = (text: string) => written.push(...text.split('\n').filter((line) => line.trim() !== ''));

let db: TestDatabase;
let config: Config;
let app: App;
let url: string;
let startupLines: string[];

beforeAll(async () => {
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const)
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => capture(format(...args)));
  for (const stream of [process.stdout, process.stderr])
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      capture(String(chunk));
      return true;
    });
  const createApolloServer = apolloServer.createApolloServer;
  jest
    .spyOn(apolloServer, 'createApolloServer')
    .mockImplementation((options) =>
      createApolloServer({ ...options, plugins: [...(options.plugins ?? []), faultPlugin] }),
    );
  const authenticate = jwt.authenticate;
  jest
    .spyOn(jwt, 'authenticate')
    .mockImplementation(async (header, secret) =>
      header === 'Bearer fault-context'
        ? Promise.reject(new Error(faultMessage('context')))
        : authenticate(header, secret),
    );

  db = await createTestDatabase('apollo_failures');
  config = loadConfig(testEnvironment(db.url, 'apollo-failures'));
  // An Apollo key without a graph ref: Apollo warns about it as it starts (a line of its own, no request).
  process.env['APOLLO_KEY'] = 'service:og-test-apollo-failures:not-a-key';
  try {
    app = await createApp(config, pino({ level: 'debug' }, { write: capture }));
    ({ url } = await app.start());
  } finally {
    delete process.env['APOLLO_KEY'];
  }
  startupLines = written.splice(0);
});

afterAll(async () => {
  await app?.stop();
  jest.restoreAllMocks();
  await deleteRedisPrefix(config.redisKeyPrefix);
  await db?.drop();
});

/** `{ __typename }` by the direct JSON POST path, or by a GET through Express. */
function send(route: 'POST' | 'GET', requestId: string, fault: Fault): Promise<RawResponse> {
  const headers: Record<string, string> = { 'x-request-id': requestId, 'x-fault': fault };
  if (fault === 'context') headers['authorization'] = 'Bearer fault-context';
  if (route === 'GET')
    return request(url, `/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { ...headers, 'apollo-require-preflight': 'true' },
    });
  return request(url, '/graphql', {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
}

const parsed = (line: string): Record<string, unknown> | string => {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line; // shown as it is in the failure
  }
};

describe.each(['POST', 'GET'] as const)(
  "an Apollo fault on a request by %s (every line JSON with the request's id)",
  (route) => {
    it.each(FAULTS)(
      'thrown in %s: a 500 INTERNAL_SERVER_ERROR quoting the request id, logged with its stack',
      async (fault) => {
        const requestId = `apollo-fault-${route}-${fault}`;
        if (fault === 'escaping')
          jest
            .spyOn(ApolloServer.prototype, 'executeHTTPGraphQLRequest')
            .mockRejectedValueOnce(new Error(faultMessage(fault)));
        written.length = 0;

        const response = await send(route, requestId, fault);
        // The request's own line comes when its connection is done with it, after the answer.
        await waitUntil('the request log line', async () => written.some((line) => line.includes('"http request"')));

        expect([response.status, response.headers['x-request-id'], JSON.parse(response.text)]).toEqual([
          500,
          requestId,
          { errors: [{ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } }] },
        ]);
        const lines = written.map(parsed);
        expect(lines).toEqual(lines.map((): unknown => expect.objectContaining({ requestId })));
        expect(lines).toContainEqual(
          expect.objectContaining({
            level: 50,
            err: expect.objectContaining({ stack: expect.stringContaining(faultMessage(fault)) }),
          }),
        );
        expect(lines).toContainEqual(expect.objectContaining({ msg: 'http request', status: 500 }));
      },
    );
  },
);

it("Apollo's own lines outside a request are JSON lines of the app's logger too", () => {
  const apolloWarning = expect.objectContaining({ level: 40, msg: expect.stringContaining('graph ref') });
  expect(startupLines.map(parsed)).toEqual(startupLines.map((): unknown => expect.any(Object)));
  expect(startupLines.map(parsed)).toContainEqual(apolloWarning);
});
