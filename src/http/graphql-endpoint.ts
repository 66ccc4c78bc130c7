import type { IncomingMessage } from 'node:http';
import { HeaderMap } from '@apollo/server';
import type { ApolloServer } from '@apollo/server';
import type { GraphQLContext } from '../graphql/context';
import type { Logger } from '../observability/logger';
import { withRequestId } from '../observability/request-id-scope';
import type { EdgeReplay } from './edge-replay';
import { sendHttpError } from './http-errors';
import { assertJsonDepth } from './json-depth';
import { factsOf, pathOf } from './request-logging';
import type { HttpResponse } from './request-logging';

/** What the endpoint needs: Apollo, the context of a request, and the steps every request takes first. */
export interface GraphQLEndpointOptions {
  apollo: ApolloServer<GraphQLContext>;
  /** Builds the request's context (and ties it to the response for the log line). */
  context(request: IncomingMessage, response: HttpResponse): Promise<GraphQLContext>;
  /** The steps Express runs before its routes (request id, log line, CORS), in order; each calls next. */
  before(request: IncomingMessage, response: HttpResponse, next: () => void): void;
  /** Largest accepted body in bytes. */
  bodyLimitBytes: number;
  logger: Logger;
  /** Sends a repeat's answer again before Apollo runs (edge-replay.ts); none: every request goes to Apollo. */
  edge?: EdgeReplay;
}

/** The only path taken: Express's mount also answers `/graphql/…`, which goes to it. */
const GRAPHQL_PATH = '/graphql';

/** A JSON body in UTF-8 (the charset JSON's own RFC requires), as nearly every client sends it. */
const JSON_CONTENT_TYPE = /^application\/json\s*(;\s*charset\s*=\s*("?)utf-8\2\s*)?$/i;

/**
 * `POST /graphql` with a plain JSON body, served from Node's request and response without Express:
 * Express's router, its request and response decorations, body-parser and `res.send` (which hashes
 * every answer for an ETag nobody asks of a POST) took more than half of a bare `{ __typename }`'s
 * server CPU (docs/benchmarks.md, "GraphQL's JSON POSTs without Express"). Answers false, having
 * touched nothing, for any other request (GET, a preflight, another content type, a compressed
 * body, another path): Express serves those as before. Taken requests go through the same steps
 * and answer the same: the request id, the log line, CORS, the body limit (413
 * PAYLOAD_TOO_LARGE), malformed JSON (400 BAD_REQUEST), Apollo.
 */
export function graphqlEndpoint(
  options: GraphQLEndpointOptions,
): (request: IncomingMessage, response: HttpResponse) => boolean {
  return (request, response) => {
    if (!takes(request)) return false;
    response.locals = {};
    options.before(request, response, () => {
      readBody(request, options.bodyLimitBytes).then(
        (body) => serve(options, request, response, body),
        (error: unknown) => sendHttpError(response, error, options.logger),
      );
    });
    return true;
  };
}

function takes(request: IncomingMessage): boolean {
  if (request.method !== 'POST' || pathOf(request) !== GRAPHQL_PATH) return false;
  const encoding = request.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return false;
  const type = request.headers['content-type'];
  return type !== undefined && JSON_CONTENT_TYPE.test(type);
}

async function serve(
  options: GraphQLEndpointOptions,
  request: IncomingMessage,
  response: HttpResponse,
  text: string,
): Promise<void> {
  try {
    const { edge } = options;
    const edgeKey = edge?.keyOf(request, text);
    let context: GraphQLContext | undefined;
    if (edge && edgeKey !== undefined && edge.has(edgeKey)) {
      context = await options.context(request, response);
      const sent = await edge.answer(edgeKey, context);
      if (sent) {
        const facts = factsOf(response);
        facts.operationName = sent.operationName;
        facts.answeredAtEdge = true;
        sendComplete(response, 200, sent.headers, sent.body);
        return;
      }
    }
    const body = parseJson(text);
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(request.headers))
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    // What follows the path (takes() read it): the query string with its '?', or nothing.
    const search = (request.url ?? '').slice(GRAPHQL_PATH.length);
    const answer = await withRequestId(response.locals['requestId'] as string, () =>
      options.apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: 'POST', headers, search, body },
        context: async () => (context ??= await options.context(request, response)),
      }),
    );
    if (edge && edgeKey !== undefined) edge.remember(edgeKey, body, factsOf(response), context, answer);
    if (answer.body.kind === 'complete') {
      sendComplete(response, answer.status ?? 200, answer.headers, answer.body.string);
      return;
    }
    for (const [name, value] of answer.headers) response.setHeader(name, value);
    response.statusCode = answer.status ?? 200;
    for await (const chunk of answer.body.asyncIterator) response.write(chunk);
    response.end();
  } catch (error) {
    sendHttpError(response, error, options.logger);
  }
}

/** A whole answer: its status, headers and body, with its length. */
function sendComplete(
  response: HttpResponse,
  status: number,
  headers: Iterable<readonly [string, string]>,
  body: string,
): void {
  for (const [name, value] of headers) response.setHeader(name, value);
  response.statusCode = status;
  response.setHeader('content-length', Buffer.byteLength(body));
  response.end(body);
}

const BOM = /^\uFEFF/;

/** A malformed body, as body-parser reports it (status 400). */
const MALFORMED = Object.assign(new Error('malformed JSON body'), { status: 400 });
/** A body over the limit (status 413). */
const TOO_LARGE = Object.assign(new Error('request body over the limit'), { status: 413 });
/** The client went away before its body was complete (status 400, as raw-body reports it). */
const ABORTED = Object.assign(new Error('request aborted'), { status: 400 });

/**
 * The body as text, as `express.json()` reads it: up to `limitBytes` (413 past it, told by
 * Content-Length before a byte is read when it says so), in UTF-8, a leading byte-order mark
 * dropped and blanks around it trimmed; a body cut short by the client is a 400.
 */
function readBody(request: IncomingMessage, limitBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length']);
    if (declared > limitBytes) {
      request.resume();
      reject(TOO_LARGE);
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limitBytes) {
        request.off('data', onData);
        request.resume();
        reject(TOO_LARGE);
        return;
      }
      chunks.push(chunk);
    };
    let ended = false;
    request.on('data', onData);
    request.once('error', () => reject(ABORTED));
    request.once('close', () => {
      if (!ended) reject(ABORTED);
    });
    request.once('end', () => {
      ended = true;
      if (received > limitBytes) return;
      resolve((chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString('utf8').replace(BOM, '').trim());
    });
  });
}

/**
 * The body's JSON as `express.json()` parses it: an empty body as `{}`, and only an object or an
 * array at the top (its strict mode), else 400; nested too deep for what walks it after, 400 too.
 */
function parseJson(text: string): unknown {
  if (text === '') return {};
  if (text[0] !== '{' && text[0] !== '[') throw MALFORMED;
  assertJsonDepth(text);
  try {
    return JSON.parse(text);
  } catch {
    throw MALFORMED;
  }
}
