import { existsSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { unsupportedMediaType } from '../request/unsupported-body';
import type { DemoService } from './demo.service';

/** Where the demo's files are, relative to the project root. */
const PAGE_DIR = 'demo';
/** Written by scripts/build-client.js (part of `npm run build`). */
const SDK_BUNDLE = 'dist/demo/order-gate-sdk.js';

/** The nearest folder above `from` that holds package.json: the same from src/ (tests) and dist/src/ (built). */
function projectRoot(from: string): string {
  if (existsSync(path.join(from, 'package.json'))) return from;
  const parent = path.dirname(from);
  if (parent === from) throw new Error('package.json not found above the demo module.');
  return projectRoot(parent);
}

/**
 * Answers an error as the server's other HTTP errors (src/http/http-errors.ts's sendHttpError,
 * docs/http.md), logging a fault under `faultMessage`. Given by createApp: the demo is a layer
 * below http/.
 */
export type SendHttpError = (response: Response, error: unknown, faultMessage: string) => void;

/**
 * The demo checkout at /demo: a static page, the SDK bundle, and POST /demo/session, which signs a
 * bearer token for any shopper name. That endpoint is why createApp mounts this only outside
 * production.
 */
export function createDemoRouter(demo: DemoService, sendHttpError: SendHttpError): express.Router {
  const root = projectRoot(__dirname);
  const router = express.Router();
  const sendFile = (relativePath: string) => (_request: Request, response: Response) => {
    response.setHeader('cache-control', 'no-store');
    response.sendFile(path.join(root, relativePath), (error) => {
      if (error && !response.headersSent)
        response.status(404).type('text/plain').send(`${relativePath} is missing: run npm run build.`);
    });
  };
  router.get('/', sendFile(`${PAGE_DIR}/index.html`));
  router.get('/checkout.js', sendFile(`${PAGE_DIR}/checkout.js`));
  router.get('/sdk.js', sendFile(SDK_BUNDLE));
  router.post('/session', express.json({ limit: '4kb' }), async (request: Request, response: Response) => {
    // A body the parser left unread (text/plain, no content type) has no name to blame: say what
    // is wrong, as GraphQL's and the partner API's 415 do. (No body at all: null, the name's 400.)
    if (request.is('application/json') === false) {
      const { message } = unsupportedMediaType(request.header('content-type'));
      response.status(415).json({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });
      return;
    }
    const body: unknown = request.body;
    const customerId =
      typeof body === 'object' && body !== null ? (body as { customerId?: unknown }).customerId : undefined;
    const session = typeof customerId === 'string' ? await demo.startSession(customerId) : null;
    if (!session) {
      const message = 'customerId must be 1-64 characters of A-Z a-z 0-9 _ -';
      response.status(400).json({ errors: [{ message, extensions: { code: 'BAD_USER_INPUT' } }] });
      return;
    }
    response.json(session);
  });
  // Never Express's default page with a stack. A body the JSON parser refused carries its 4xx
  // status; anything else (the database failing while the products are made) is a fault.
  router.use((error: unknown, _request: Request, response: Response, _next: NextFunction) =>
    sendHttpError(response, error, 'demo session failed'),
  );
  return router;
}
