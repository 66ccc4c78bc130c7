import express from 'express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { unsupportedMediaType } from '../request/unsupported-body';
import { sendProblem, sendUnsupportedBody } from './channel-answers';

/**
 * The requests whose body held no JSON value: zero bytes, or only JSON's whitespace. The parser
 * read such a body as `{}` (zero bytes) or refused it as unreadable (whitespace), where a request
 * with no body at all is 400 BAD_REQUEST: Content-Length: 0 (fetch's `body: ''`) released a held
 * order that the same request without the header could not.
 */
const blankBodies = new WeakSet<object>();

const isJsonWhitespace = (byte: number) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;

/**
 * express.json for the partner API's routes, noting a blank body (above) and leaving `body`
 * undefined for it, as for no body at all; `hasJsonBody` and `refuseBodyNotJson` answer it.
 */
export function partnerJsonParser(limitBytes: number): RequestHandler {
  const json = express.json({
    limit: limitBytes,
    // Called with the bytes (inflated) before they are parsed, whatever their length.
    verify: (request, _response, bytes) => {
      if (bytes.every(isJsonWhitespace)) blankBodies.add(request);
    },
  });
  return (request: Request, response: Response, next: NextFunction) =>
    json(request, response, (error?: unknown) => {
      if (!blankBodies.has(request)) return next(error);
      request.body = undefined;
      next();
    });
}

/** Whether the request came with a JSON body holding a value (the parser has read it). */
export function hasJsonBody(request: Request): boolean {
  return Boolean(request.is('application/json')) && !blankBodies.has(request);
}

/**
 * The answer of a JSON route to a request without a JSON value in its body: 415 naming the media
 * type a body came in (none, for a body without a content type); no body at all, or an empty one
 * (see blankBodies), has no media type to refuse and is 400 BAD_REQUEST (the routes without fields
 * take `{}`).
 */
export async function refuseBodyNotJson(request: Request, response: Response): Promise<void> {
  if (!blankBodies.has(request) && (await bodyHasBytes(request)))
    return sendUnsupportedBody(response, unsupportedMediaType(request.header('content-type')));
  sendProblem(response, 400, { code: 'BAD_REQUEST', detail: 'The body must be JSON (content-type application/json).' });
}

/**
 * Whether a body the parser did not read (not JSON) has a byte: its Content-Length says so; a
 * chunked one is read up to its first byte, or to its end when it has none.
 */
function bodyHasBytes(request: Request): Promise<boolean> {
  const length = request.header('content-length');
  if (length !== undefined) return Promise.resolve(Number(length) > 0);
  if (request.header('transfer-encoding') === undefined || request.readableEnded) return Promise.resolve(false);
  return new Promise((resolve) => {
    const settle = (hasBytes: boolean) => {
      request.off('data', onData).off('end', onEnd).off('error', onError);
      request.pause();
      resolve(hasBytes);
    };
    const onData = (chunk: Buffer) => chunk.length > 0 && settle(true);
    const onEnd = () => settle(false);
    const onError = () => settle(true);
    request.on('data', onData).on('end', onEnd).on('error', onError);
  });
}
