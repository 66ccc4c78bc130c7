import type { Logger } from '../observability/logger';
import { unsupportedBodyOf } from '../request/unsupported-body';
import type { HttpResponse } from './request-logging';

/**
 * Answers a request that failed before GraphQL could (a body that cannot be read or is too large,
 * or a fault) as JSON with a stable code: 413 PAYLOAD_TOO_LARGE, another 4xx BAD_REQUEST, anything
 * else 500 INTERNAL_SERVER_ERROR, logged with its stack and carrying the request id to quote, as a
 * masked GraphQL error does (error-masking.ts). Once the headers are out nothing more can be said
 * to the client: the connection is cut, so that it sees a broken answer rather than a short one
 * that looks whole, and a fault is still logged (its status would have said 500).
 * `faultMessage` is the log line's message for a fault (a route may name what failed).
 */
export function sendHttpError(
  response: HttpResponse,
  error: unknown,
  logger: Logger,
  faultMessage = 'unhandled HTTP error',
): void {
  const given = (error as { status?: number } | null)?.status;
  const status = given && given >= 400 && given < 500 ? given : 500;
  const requestId = response.locals['requestId'] as string | undefined;
  if (response.headersSent) {
    if (status === 500) logger.error({ err: error, requestId }, 'HTTP error after the headers were sent');
    response.destroy();
    return;
  }
  if (status === 500) logger.error({ err: error, requestId }, faultMessage);
  // A refusal that says what was wrong (json-depth.ts, repeated-header.ts) says it, with its own
  // code if it has one; body-parser's own errors do not.
  const { clientMessage, clientCode } = (error ?? {}) as { clientMessage?: unknown; clientCode?: unknown };
  const code =
    status !== 500 && typeof clientCode === 'string'
      ? clientCode
      : status === 413
        ? 'PAYLOAD_TOO_LARGE'
        : status === 500
          ? 'INTERNAL_SERVER_ERROR'
          : 'BAD_REQUEST';
  const message =
    status !== 500 && typeof clientMessage === 'string'
      ? clientMessage
      : (unsupportedBodyOf(error, response.req?.headers['content-type'])?.message ?? httpErrorMessage(status));
  const extensions = status === 500 && requestId !== undefined ? { code, requestId } : { code };
  const body = JSON.stringify({ errors: [{ message, extensions }] });
  response.statusCode = status;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.setHeader('content-length', Buffer.byteLength(body));
  response.end(body);
}

function httpErrorMessage(status: number): string {
  if (status === 413) return 'The request body is too large.';
  if (status === 500) return 'Internal server error.';
  return 'The request could not be read.';
}
