import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import type { StoredReplay } from 'graphql-idempotency/apollo';
import type { GraphQLContext } from '../graphql/context';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';

/** What the GraphQL layer learns about a request, for its HTTP log line (and the edge's replay). */
export interface RequestFacts {
  operationName?: string;
  customerId?: string;
  /** The stored response the request was answered with (graphql-idempotency's response replay). */
  replay?: StoredReplay;
  /** Answered by the edge's replay, before Apollo (edge-replay.ts). */
  answeredAtEdge?: boolean;
}

/** Routes named in logs and metrics; anything else is `other`, so a scanner cannot blow up label cardinality. */
const KNOWN_ROUTES = new Set([
  '/',
  '/graphql',
  '/healthz',
  '/readyz',
  '/metrics',
  '/api/v1/orders',
  '/api/v1/openapi.json',
  '/channels/pos/receipts',
]);
/** Routes with a parameter, named by their template. */
const ROUTE_TEMPLATES: readonly [RegExp, string][] = [
  [/^\/channels\/marketplace\/[^/]+\/orders$/, '/channels/marketplace/:source/orders'],
  [/^\/api\/v1\/orders\/[^/]+\/cancel$/, '/api/v1/orders/:orderId/cancel'],
  [/^\/api\/v1\/orders\/[^/]+\/refunds$/, '/api/v1/orders/:orderId/refunds'],
  [/^\/api\/v1\/orders\/[^/]+\/shipping-address$/, '/api/v1/orders/:orderId/shipping-address'],
  [/^\/api\/v1\/inventory\/[^/]+\/adjustments$/, '/api/v1/inventory/:sku/adjustments'],
  [/^\/api\/v1\/held-orders\/[^/]+\/release$/, '/api/v1/held-orders/:heldOrderId/release'],
  [/^\/api\/v1\/held-orders\/[^/]+\/dismiss$/, '/api/v1/held-orders/:heldOrderId/dismiss'],
];

/**
 * A response as this layer keeps its request's facts on it: Express's `locals`, which the GraphQL
 * endpoint (graphql-endpoint.ts) sets on a plain Node response too.
 */
export type HttpResponse = ServerResponse & { locals: Record<string, unknown> };

/** The request's path, without its query string (what Express calls `request.path`). */
export function pathOf(request: IncomingMessage): string {
  const url = request.url ?? '/';
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}

/** The route's name for logs and metrics: a known path, a template, or `other`. */
export function routeOf(path: string): string {
  if (KNOWN_ROUTES.has(path)) return path;
  return ROUTE_TEMPLATES.find(([pattern]) => pattern.test(path))?.[1] ?? 'other';
}
/** Probes and scrapes come every few seconds: log them at debug, not info. */
const QUIET_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

// Apollo shallow-copies the context for each operation, so a WeakMap keyed by the object we built
// would miss; an own symbol property travels with the copy.
const FACTS = Symbol('requestFacts');
type ContextWithFacts = GraphQLContext & { [FACTS]?: RequestFacts };

/** The facts of the request `response` answers (filled in by the GraphQL layer). */
export function factsOf(response: HttpResponse): RequestFacts {
  const facts = (response.locals['requestFacts'] as RequestFacts | undefined) ?? {};
  response.locals['requestFacts'] = facts;
  return facts;
}

/** Ties a GraphQL context to its HTTP response, so that the GraphQL layer can fill in the log line. */
export function linkRequestFacts(context: GraphQLContext, response: HttpResponse): void {
  const facts = factsOf(response);
  facts.customerId = context.viewer?.customerId;
  (context as ContextWithFacts)[FACTS] = facts;
}

/** Records that the request was answered with a stored response (the response replay's `onReplay`). */
export function noteReplay(context: GraphQLContext, replay: StoredReplay): void {
  const facts = (context as ContextWithFacts)[FACTS];
  if (facts) facts.replay = replay;
}

/** Records the operation's name once Apollo has resolved it (also when the client sent none). */
export function operationNamePlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operationName, operation }) {
          const facts = (contextValue as ContextWithFacts)[FACTS];
          if (facts) facts.operationName = operationName ?? `anonymous ${operation?.operation ?? 'operation'}`;
        },
      };
    },
  };
}

/**
 * One JSON log line per HTTP request when its connection is done with it (request id, method,
 * route, status, duration, GraphQL operation and customer; `aborted` when the client left before
 * the answer was complete), and its duration in
 * `order_gate_http_request_seconds`.
 */
export function requestLogging(
  logger: Logger,
  metrics: Metrics,
): (request: IncomingMessage, response: HttpResponse, next: () => void) => void {
  return (request, response, next) => {
    const startedAt = performance.now();
    // Read now: mounted routers (app.use('/graphql', …)) rewrite request.url while they run.
    const route = routeOf(pathOf(request));
    // 'close' comes for every response, also when the client went away before the end ('finish' does not).
    response.once('close', () => {
      const seconds = (performance.now() - startedAt) / 1000;
      const status = response.statusCode;
      const method = request.method ?? 'GET';
      metrics.httpRequestSeconds.observe({ route, method, status: String(status) }, seconds);
      const facts = factsOf(response);
      const line = {
        requestId: response.locals['requestId'] as string,
        method,
        route,
        status,
        durationMs: Math.round(seconds * 100_000) / 100,
        operationName: facts.operationName,
        customerId: facts.customerId,
        ...(facts.answeredAtEdge ? { replayedAtEdge: true } : {}),
        ...(response.writableFinished ? {} : { aborted: true }),
      };
      if (QUIET_ROUTES.has(route)) logger.debug(line, 'http request');
      else logger.info(line, 'http request');
    });
    next();
  };
}
