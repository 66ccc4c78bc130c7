import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from 'cors';
import vary from 'vary';
import type { Config } from '../config/config';

/** Apollo's hosted Sandbox (and Explorer), which calls the endpoint from the browser. */
export const APOLLO_SANDBOX_ORIGIN = 'https://studio.apollographql.com';

/** Request headers a web client of /graphql sends besides the CORS-safelisted ones. */
export const CORS_ALLOWED_HEADERS = [
  'content-type',
  'authorization',
  'idempotency-key',
  'x-request-id',
  // Apollo's CSRF prevention: a GET carries one of these to prove it was preflighted.
  'apollo-require-preflight',
  'x-apollo-operation-name',
  // Apollo Client's "client awareness" headers (set by its `name` and `version` options).
  'apollographql-client-name',
  'apollographql-client-version',
];

/** Response headers a page may read (beyond the safelisted ones): the idempotency answers and the request id. */
export const CORS_EXPOSED_HEADERS = ['Idempotent-Replayed', 'Retry-After', 'X-Request-Id'];

/**
 * How long a browser may reuse a preflight answer (s). Chromium caps it at 7 200, Firefox at
 * 86 400; a changed CORS_ORIGINS reaches a browser that cached the old answer after this long.
 */
export const CORS_MAX_AGE_SECONDS = 7_200;

/** A page served from this machine, on any port: a shop front or client in development. */
const LOOPBACK_ORIGIN = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/;

/**
 * Which origins may call the API from a browser. Unset: none in production; in development and
 * test, pages on this machine and Apollo's hosted Sandbox, not `*`: development tokens are
 * signed with a secret everybody knows, so any web page open in the developer's browser could
 * otherwise place orders on their local server.
 */
export function corsOriginPolicy(config: Pick<Config, 'corsOrigins' | 'nodeEnv'>): (origin: string) => boolean | '*' {
  const { corsOrigins, nodeEnv } = config;
  if (corsOrigins === '*') return () => '*';
  if (corsOrigins) {
    const allowed = new Set(corsOrigins);
    return (origin) => allowed.has(origin);
  }
  if (nodeEnv === 'production') return () => false;
  return (origin) => origin === APOLLO_SANDBOX_ORIGIN || LOOPBACK_ORIGIN.test(origin);
}

/**
 * CORS for /graphql, for web clients on another origin: preflights answered (204, cached for
 * CORS_MAX_AGE_SECONDS), the allowed origin echoed back (or `*`), the idempotency headers exposed,
 * credentials off (the API authenticates with a bearer token, never a cookie). A request from an
 * origin that is not allowed gets no CORS header at all, so its browser keeps the answer from the
 * page; the request itself is served as any other (CORS protects the reader, not the server;
 * CSRF prevention and the bearer token do that).
 */
export function corsMiddleware(
  config: Pick<Config, 'corsOrigins' | 'nodeEnv'>,
): (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void {
  const policy = corsOriginPolicy(config);
  const handler = cors({
    origin: (origin, callback) => callback(null, origin === undefined ? false : policy(origin)),
    credentials: false,
    methods: ['GET', 'POST'],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: CORS_MAX_AGE_SECONDS,
  });
  const answersAnyOrigin = config.corsOrigins === '*';
  return (request, response, next) => {
    // The answer depends on the Origin unless every origin gets the same one: caches must key on it.
    if (!answersAnyOrigin) vary(response, 'Origin');
    handler(request, response, next);
  };
}
