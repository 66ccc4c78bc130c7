// The adapters answer with createOrder's result classes, which carry type-graphql decorators: the
// metadata API must exist before they load, and the composition root may load this router before
// the GraphQL schema (which imports it too).
import 'reflect-metadata';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { classifyDatabaseFailure } from '../db/database-failure';
import { unsupportedBodyOf } from '../request/unsupported-body';
import { sendProblem, sendUnsupportedBody } from './channel-answers';
import type { ChannelAdapter, ChannelDependencies } from './channel-adapter';
import { marketplaceWebhookAdapter } from './marketplace-webhook.adapter';
import { partnerApiAdapter } from './partner-api.adapter';
import { posUploadAdapter } from './pos-upload.adapter';

/** Every door besides GraphQL. Adding a channel: write its adapter, list it here. */
export const CHANNEL_ADAPTERS: readonly ChannelAdapter[] = [
  marketplaceWebhookAdapter,
  posUploadAdapter,
  partnerApiAdapter,
];

/** Where the partner REST API's paths start. */
const API_PREFIX = '/api/v1';

/**
 * The paths whose unknown routes (or methods) answer 404 NOT_FOUND as a problem document, as
 * everything else there does, with where to look instead; other paths keep Express's page.
 */
const PROBLEM_PREFIXES: readonly { prefix: string; routes: string }[] = [
  { prefix: API_PREFIX, routes: `the API's routes are in GET ${API_PREFIX}/openapi.json` },
  {
    prefix: '/channels',
    routes: "the channels' doors are POST /channels/marketplace/{source}/orders and POST /channels/pos/receipts",
  },
];

/**
 * The routes of every channel adapter, with one error answer for all of them: a body the parser
 * refused is a 400 or 413 problem (415 naming the charset or Content-Encoding it does not read, as
 * GraphQL's 415), a database failure (db/database-failure.ts) its answer (503
 * SERVICE_UNAVAILABLE with Retry-After, as GraphQL gives it), anything unexpected a masked 500
 * with the request id (logged with its cause), never a stack trace; a path under /api/v1 or
 * /channels that no route serves a 404 NOT_FOUND problem.
 */
export function createChannelsRouter(
  dependencies: ChannelDependencies,
  adapters: readonly ChannelAdapter[] = CHANNEL_ADAPTERS,
): express.Router {
  const router = express.Router();
  for (const adapter of adapters) adapter.mount(router, dependencies);
  // A path under /api/v1 or /channels that no route serves, or a method its route does not take
  // (a marketplace checking its webhook with a GET), answers as the rest of its door does (a
  // problem document with a stable code), not with Express's HTML page.
  router.use((request: Request, response: Response, next: NextFunction) => {
    const under = PROBLEM_PREFIXES.find(
      ({ prefix }) => request.path === prefix || request.path.startsWith(`${prefix}/`),
    );
    if (!under) return next();
    sendProblem(response, 404, {
      code: 'NOT_FOUND',
      detail: `No route ${request.method} ${request.path}: ${under.routes}.`,
    });
  });
  router.use((error: { status?: number; type?: string }, request: Request, response: Response, _next: NextFunction) => {
    if (response.headersSent) {
      // A streamed answer (a POS upload) cannot change its status any more: end it.
      dependencies.logger.error(
        { err: error, requestId: response.locals['requestId'] },
        'channel request failed mid-answer',
      );
      response.end();
      return;
    }
    if (error.status === 413)
      return sendProblem(response, 413, { code: 'PAYLOAD_TOO_LARGE', detail: 'The request body is too large.' });
    const unsupported = unsupportedBodyOf(error, request.header('content-type'));
    if (unsupported) return sendUnsupportedBody(response, unsupported);
    if (error.status && error.status >= 400 && error.status < 500)
      return sendProblem(response, 400, { code: 'BAD_REQUEST', detail: 'The request could not be read.' });
    const requestId = response.locals['requestId'] as string;
    const failure = classifyDatabaseFailure(error);
    if (failure) {
      const named = { err: error, requestId, databaseFailure: failure.class, sqlState: failure.sqlState };
      dependencies.logger.warn(named, 'database unavailable');
      const { code, retryAfterMs } = failure.answer;
      const detail = 'The database is unavailable. Retry with the same Idempotency-Key after Retry-After.';
      return sendProblem(response, failure.answer.status, { code, detail, retryAfterMs });
    }
    dependencies.logger.error({ err: error, requestId }, 'channel request failed');
    sendProblem(response, 500, { code: 'INTERNAL_SERVER_ERROR', detail: 'Internal server error.' });
  });
  return router;
}
