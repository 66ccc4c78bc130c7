import type { Logger } from '../observability/logger';
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
  const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST';
  // A refusal that says what was wrong (json-depth.ts) says it; body-parser's own errors do not.
  const clientMessage = (error as { clientMessage?: unknown } | null)?.clientMessage;
  const message =
    status !== 500 && typeof clientMessage === 'string'
      ? clientMessage
      : (bodyParserMessage(error) ?? httpErrorMessage(status));
  const extensions = status === 500 && requestId !== undefined ? { code, requestId } : { code };
  const body = JSON.stringify({ errors: [{ message, extensions }] });
  response.statusCode = status;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.setHeader('content-length', Buffer.byteLength(body));
  response.end(body);
}

/** body-parser's refusals that a client can act on, said in its terms (its own messages are not sent). */
function bodyParserMessage(error: unknown): string | undefined {
  const { type, charset, encoding } = (error ?? {}) as { type?: unknown; charset?: unknown; encoding?: unknown };
  if (type === 'charset.unsupported' && typeof charset === 'string')
    return `The body's charset "${charset}" is not supported: send JSON in UTF-8.`;
  if (type === 'encoding.unsupported' && typeof encoding === 'string')
    return `The body's Content-Encoding "${encoding}" is not supported: send it uncompressed, or as gzip, deflate or br.`;
  return undefined;
}

function httpErrorMessage(status: number): string {
  if (status === 413) return 'The request body is too large.';
  if (status === 500) return 'Internal server error.';
  return 'The request could not be read.';
}
