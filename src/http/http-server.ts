import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expressMiddleware } from '@as-integrations/express5';
import type { ApolloServer } from '@apollo/server';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import type { Config } from '../config/config';
import type { GraphQLContext } from '../graphql/context';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { corsMiddleware } from './cors';
import { metricsHandler } from './metrics-endpoint';
import { readinessHandler } from './readiness';
import type { ReadinessOptions } from './readiness';
import { linkRequestFacts, requestLogging } from './request-logging';

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
}

const REQUEST_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;

/** The request's id: the caller's X-Request-Id when it is sane, a fresh UUID otherwise. */
function requestIdOf(request: Request): string {
  const given = request.header('x-request-id');
  return given && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
}

export function createExpressApp(options: HttpOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use((request: Request, response: Response, next: NextFunction) => {
    response.locals['requestId'] = requestIdOf(request);
    response.setHeader('x-request-id', response.locals['requestId'] as string);
    next();
  });
  app.use(requestLogging(options.logger, options.metrics));
  app.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  app.get('/readyz', readinessHandler(options.readiness));
  app.get('/metrics', metricsHandler(options.metrics.registry));
  app.use(
    '/graphql',
    corsMiddleware(options.cors),
    express.json({ limit: options.bodyLimitBytes ?? 1_048_576 }),
    expressMiddleware(options.apollo, {
      context: async ({ req, res }) => {
        const context = await options.createContext({
          requestId: res.locals['requestId'] as string,
          authorization: req.header('authorization'),
        });
        linkRequestFacts(context, res);
        return context;
      },
    }),
  );
  // Body-parser failures (malformed JSON, too large) answer as JSON with a stable code.
  app.use((error: { status?: number; type?: string }, _request: Request, response: Response, next: NextFunction) => {
    if (response.headersSent) return next(error);
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) options.logger.error({ err: error }, 'unhandled HTTP error');
    const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST';
    response.status(status).json({ errors: [{ message: httpErrorMessage(status), extensions: { code } }] });
  });
  return app;
}

function httpErrorMessage(status: number): string {
  if (status === 413) return 'The request body is too large.';
  if (status === 500) return 'Internal server error.';
  return 'The request could not be read.';
}

/** Listens and resolves with the base URL (useful with port 0). */
export async function listen(server: http.Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${shownHost}:${address.port}`;
}
