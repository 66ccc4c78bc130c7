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
 * CSRF prevention and the bearer token do that). Its preflight is answered 403
 * CORS_ORIGIN_NOT_ALLOWED, naming the origin and CORS_ORIGINS: passed on, it reached Apollo, whose
 * CSRF prevention answered it 400 with advice about a content-type header, which misled whoever
 * read it in the browser's network panel.
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
    const { origin } = request.headers;
    if (isPreflight(request) && origin !== undefined && policy(origin) === false)
      return refusePreflight(response, origin);
    handler(request, response, next);
  };
}

function isPreflight(request: IncomingMessage): boolean {
  return request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
}

/** A refused origin's preflight: no CORS header (the browser blocks the call), and a line saying why. */
function refusePreflight(response: ServerResponse, origin: string): void {
  const message = `The origin ${origin} may not call this API from a browser: it is not in CORS_ORIGINS.`;
  const body = JSON.stringify({ errors: [{ message, extensions: { code: 'CORS_ORIGIN_NOT_ALLOWED' } }] });
  response.statusCode = 403;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.setHeader('content-length', Buffer.byteLength(body));
  response.end(body);
}
