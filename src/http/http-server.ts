import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { expressMiddleware } from '@as-integrations/express5';
import type { ApolloServer } from '@apollo/server';
import express from 'express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ConfigError } from '../config/config';
import type { Config } from '../config/config';
import type { GraphQLContext } from '../graphql/context';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { withRequestId } from '../observability/request-id-scope';
import { readCharsetAliasesAsUtf8 } from '../request/json-charset';
import { corsMiddleware } from './cors';
import type { EdgeReplay } from './edge-replay';
import { graphqlEndpoint } from './graphql-endpoint';
import { assertJsonDepth } from './json-depth';
import { sendHttpError } from './http-errors';
import { refuseRepeatedIdempotencyKey } from './repeated-header';
import { metricsHandler } from './metrics-endpoint';
import { readinessHandler } from './readiness';
import type { ReadinessOptions } from './readiness';
import { linkRequestFacts, requestLogging } from './request-logging';
import type { HttpResponse } from './request-logging';

/** Options of the HTTP layer. */
export interface HttpOptions {
  apollo: ApolloServer<GraphQLContext>;
  /** Builds the GraphQL context of one request. */
  createContext(request: { requestId: string; authorization: string | undefined }): Promise<GraphQLContext>;
  /** Largest accepted request body in bytes. Default 1 048 576 (1 MiB). */
  bodyLimitBytes?: number;
  logger: Logger;
  /** Exposed at `/metrics`; HTTP durations are observed into it. */
  metrics: Metrics;
  /** What `/readyz` checks. */
  readiness: ReadinessOptions;
  /** Which browser origins may call /graphql (see src/http/cors.ts). */
  cors: Pick<Config, 'corsOrigins' | 'nodeEnv'>;
  /** Sends repeats' answers again before Apollo (see src/http/edge-replay.ts). */
  edgeReplay?: EdgeReplay;
}

const REQUEST_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;
const DEFAULT_BODY_LIMIT_BYTES = 1_048_576;

/** The request's id: the caller's X-Request-Id when it is sane, a fresh UUID otherwise. */
function requestIdOf(request: http.IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
}

/** What the HTTP layer serves: /graphql's JSON POSTs straight from Node, everything else through Express. */
export interface HttpLayer {
  /** The server's `request` listener. */
  listener: http.RequestListener;
  /** Express, for routes mounted after (the demo, the channels): reached by what /graphql does not take. */
  express: express.Express;
}

export function createHttpLayer(options: HttpOptions): HttpLayer {
  const bodyLimitBytes = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const logging = requestLogging(options.logger, options.metrics);
  const cors = corsMiddleware(options.cors);
  /** What every request goes through first: its id, its log line. */
  const identifyAndLog = (request: http.IncomingMessage, response: HttpResponse, next: () => void) => {
    const requestId = requestIdOf(request);
    response.locals['requestId'] = requestId;
    response.setHeader('x-request-id', requestId);
    logging(request, response, next);
  };
  const context = async (request: http.IncomingMessage, response: HttpResponse) => {
    const authorization = request.headers['authorization'];
    const built = await options.createContext({ requestId: response.locals['requestId'] as string, authorization });
    linkRequestFacts(built, response);
    return built;
  };

  const app = express();
  app.disable('x-powered-by');
  // An ETag is a hash of every answer, for conditional GETs that no client of this API makes.
  app.disable('etag');
  app.use(identifyAndLog);
  // JSON labelled `utf8` or `us-ascii` is read as the UTF-8 it is (body-parser took only `utf-…`).
  app.use(readCharsetAliasesAsUtf8);
  // The server's root is where a newcomer opens a browser first: it sends them to the API (and its
  // landing page), where Express's bare "Cannot GET /" told them nothing.
  app.get('/', (_request, response) => {
    response.redirect(302, '/graphql');
  });
  app.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  app.get('/readyz', readinessHandler(options.readiness));
  app.get('/metrics', metricsHandler(options.metrics.registry));
  app.use(
    '/graphql',
    cors,
    refuseRepeatedIdempotencyKey,
    // The same depth bound as the direct path (graphql-endpoint.ts), on the inflated body.
    express.json({
      limit: bodyLimitBytes,
      verify: (_request, _response, body) => assertJsonDepth(body.toString('utf8')),
    }),
    boundQueryJsonDepth,
    inRequestScope(expressMiddleware(options.apollo, { context: ({ req, res }) => context(req, res) })),
  );
  // Body-parser failures (malformed JSON, too large) answer as JSON with a stable code.
  app.use((error: unknown, _request: Request, response: Response, next: NextFunction) => {
    if (response.headersSent) return next(error);
    sendHttpError(response, error, options.logger);
  });

  const graphql = graphqlEndpoint({
    apollo: options.apollo,
    context,
    // The steps of Express's /graphql before its body parser, in the same order.
    before: (request, response, next) =>
      identifyAndLog(request, response, () =>
        cors(request, response, () =>
          refuseRepeatedIdempotencyKey(request, response, (error) =>
            error ? sendHttpError(response, error, options.logger) : next(),
          ),
        ),
      ),
    bodyLimitBytes,
    logger: options.logger,
    edge: options.edgeReplay,
  });
  return {
    listener: (request, response) => {
      if (!graphql(request, response as HttpResponse)) app(request, response);
    },
    express: app,
  };
}

/** `handler` run inside its request's scope (request-id-scope.ts), where Apollo's own lines and answers find the id. */
function inRequestScope(handler: RequestHandler): RequestHandler {
  return (request, response, next) =>
    withRequestId(response.locals['requestId'] as string, () => handler(request, response, next));
}

/** A `GET`'s `variables` and `extensions` (JSON in the query string, parsed by Apollo) under the same depth bound. */
function boundQueryJsonDepth(request: Request, _response: Response, next: NextFunction): void {
  if (request.method !== 'GET') return next();
  try {
    for (const name of ['variables', 'extensions']) {
      const value: unknown = request.query[name];
      for (const text of Array.isArray(value) ? value : [value]) if (typeof text === 'string') assertJsonDepth(text);
    }
    next();
  } catch (error) {
    next(error);
  }
}

/** Listens, and resolves with what it listens on and its base URL (with the port PORT=0 picked). */
export async function listen(server: http.Server, port: number, host: string): Promise<ServedAt> {
  await listenOrExplain(server, port, host);
  return servedAt(host, (server.address() as AddressInfo).port);
}

/** Where a server listens: `listening` as HOST:PORT (`[::1]:4000`), `url` a base URL that opens it. */
export interface ServedAt {
  readonly listening: string;
  readonly url: string;
}

/**
 * What the start-up line says of HOST and the port: `listening` as HOST:PORT (an IPv6 address in
 * brackets: `[::1]:4000`), and a base URL that opens it from this machine. A wildcard (0.0.0.0,
 * ::, all interfaces) is no address to open: the loopback reaches it.
 */
export function servedAt(host: string, port: number): ServedAt {
  const inBrackets = (name: string) => (name.includes(':') ? `[${name}]` : name);
  const opened = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return { listening: `${inBrackets(host)}:${port}`, url: `http://${inBrackets(opened)}:${port}` };
}

/**
 * Listens on PORT and HOST for a moment and lets go, before anything slow starts (opening and
 * migrating the embedded database took 26 s before a taken port was found): a start-up that cannot
 * listen fails at once, with the message `listen` would give.
 */
export async function assertCanListen(port: number, host: string): Promise<void> {
  if (port === 0) return;
  const probe = net.createServer();
  await listenOrExplain(probe, port, host);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}

const FREE_PORT = 'Set PORT to a free port (0 picks one).';
const LOCAL_HOST = 'Set HOST to an address of this machine (0.0.0.0: all of them).';

/** Listen errors the operator fixes with PORT or HOST: what each means, and the fix. */
const LISTEN_REFUSALS: Readonly<Record<string, (port: number, host: string) => string>> = {
  EADDRINUSE: (port, host) => `PORT ${port} on ${host} is already in use by another process (EADDRINUSE). ${FREE_PORT}`,
  EACCES: (port, host) => `PORT ${port} on ${host} is not allowed to this user (EACCES). ${FREE_PORT}`,
  EADDRNOTAVAIL: (_port, host) => `HOST ${host} is not an address of this machine (EADDRNOTAVAIL). ${LOCAL_HOST}`,
  ENOTFOUND: (_port, host) => `HOST ${host} is not a host name this machine knows (ENOTFOUND). ${LOCAL_HOST}`,
  EAI_AGAIN: (_port, host) => `HOST ${host} could not be looked up (EAI_AGAIN). ${LOCAL_HOST}`,
};

function listenOrExplain(server: net.Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    // A port taken or an address not here is the operator's to fix: say so, naming the variable, without a stack.
    const refused = (error: NodeJS.ErrnoException) => {
      const explain = error.code === undefined ? undefined : LISTEN_REFUSALS[error.code];
      if (!explain) return reject(error);
      reject(new ConfigError(`Cannot start: ${explain(port, host)}`));
    };
    server.once('error', refused);
    server.listen(port, host, () => {
      server.off('error', refused);
      resolve();
    });
  });
}
