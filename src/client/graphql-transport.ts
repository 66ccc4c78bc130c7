/** One GraphQL POST with fetch, classified for retrying. No Node-only APIs. */
import type { TypedDocumentString } from './generated.js';
import { InvalidArgumentError, unsupportedPlatform } from './order-gate-error.js';
import type { RequestFailure, SdkErrorCode } from './order-gate-error.js';
import { untilAborted } from './client-call.js';
import type { ClientCall } from './client-call.js';
import { retryAfterMsOf } from './retry-after.js';
import { afterMs } from './timer.js';

/**
 * The data, or why there is none (a RequestFailure: `Unavailable` is worth another try with the
 * same key, after `retryAfterMs`; `ServerError` and `Rejected` are final).
 */
export type GraphQLAnswer<T> = { kind: 'data'; data: T } | { kind: 'failed'; failure: RequestFailure };

export interface TransportOptions {
  /** The GraphQL endpoint. */
  url: string;
  /**
   * A bearer token, or a function that returns the current one: asked before every try, and once
   * with `refresh: true` when the server answers UNAUTHENTICATED (an expired token), after which the
   * try is sent again with the same key (once per call). A string refused so ends the call: Rejected.
   */
  authToken: string | ((request: AuthTokenRequest) => string | Promise<string>);
  /**
   * How long one try may take, getting the `authToken` included, before it is aborted and counts as
   * a failed try: code TIMEOUT, or AUTH_TOKEN_FAILED while the `authToken` function had not answered
   * (ms, above 0; Infinity for no limit). Default 15 000.
   */
  attemptTimeoutMs?: number;
  /** The fetch to use. Default globalThis.fetch. */
  fetch?: typeof fetch;
}

/** What the SDK asks an `authToken` function for. */
export interface AuthTokenRequest {
  /** True when the server refused the token it gave last (UNAUTHENTICATED): give a new one, not a cached one. */
  refresh: boolean;
}

interface GraphQLError {
  message: string;
  extensions?: { code?: unknown; retryAfterMs?: unknown; requestId?: unknown };
}

interface GraphQLBody<T> {
  data?: T | null;
  errors?: GraphQLError[];
}

/** One try of `call`: ended by its `attemptTimeoutMs` (TIMEOUT) or by the call's end (Interrupted). */
export async function postGraphQL<TResult, TVariables>(
  options: TransportOptions,
  call: ClientCall,
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
): Promise<GraphQLAnswer<TResult>> {
  const answer = await sendOnce(options, call, document, variables);
  if (answer.kind === 'failed' && answer.failure.kind === 'Rejected' && TOKEN_REFUSALS.has(answer.failure.code)) {
    call.tokenRefused();
  }
  return answer;
}

/**
 * The answers that say the token was refused: the server's UNAUTHENTICATED, and a bare 401 from
 * what stands in front of it (an API gateway checking the bearer token itself).
 */
const TOKEN_REFUSALS: ReadonlySet<string> = new Set(['UNAUTHENTICATED', 'HTTP_401']);

async function sendOnce<TResult, TVariables>(
  options: TransportOptions,
  call: ClientCall,
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
): Promise<GraphQLAnswer<TResult>> {
  const fetchImpl = fetchOf(options);
  const controller = new AbortController();
  const timeoutMs = options.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
  const cancelTimer = afterMs(timeoutMs, () => controller.abort());
  const endWithCall = (): void => controller.abort();
  call.signal.addEventListener('abort', endWithCall, { once: true });
  if (call.signal.aborted) endWithCall();
  const timedOut = unavailable('TIMEOUT', `No answer within ${timeoutMs} ms.`);
  // Aborted by the call's end (its deadline, the caller's signal), else by this try's timeout.
  const aborted = (): GraphQLAnswer<never> => {
    const interruption = call.interruption();
    return interruption ? { kind: 'failed', failure: interruption } : timedOut;
  };
  const release = (): void => {
    cancelTimer();
    call.signal.removeEventListener('abort', endWithCall);
  };
  // A token provider that fails (a refresh that cannot reach its server) or never answers is a
  // failed try like a network failure, so the caller still gets an outcome with the key.
  let token: string;
  try {
    token = await tokenWithin(options, { refresh: call.refreshingToken }, controller.signal, timeoutMs);
    call.tokenGiven();
  } catch (error) {
    release();
    return call.interruption() ? aborted() : unavailable('AUTH_TOKEN_FAILED', `authToken failed: ${messageOf(error)}`);
  }
  try {
    // Raced against the abort too: a fetch that ignores its signal (a polyfill) must not hold the try.
    const { response, body } = await untilAborted(
      (async () => {
        const response = await fetchImpl(options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: document.toString(), variables }),
          signal: controller.signal,
        });
        return { response, body: await readBody<TResult>(response) };
      })(),
      controller.signal,
      'no answer',
    );
    // A body cut off by the timeout is the timeout's failure, not the server's.
    return !body && controller.signal.aborted ? aborted() : classify(response, body);
  } catch (error) {
    return controller.signal.aborted ? aborted() : unavailable('NETWORK_ERROR', messageOf(error));
  } finally {
    release();
  }
}

/** The given fetch, else the platform's; a platform without fetch or AbortController cannot run the SDK. */
function fetchOf(options: TransportOptions): typeof fetch {
  if (typeof AbortController !== 'function') {
    throw unsupportedPlatform('AbortController is required: use a platform that has it (Node 20, browsers).');
  }
  if (options.fetch) return options.fetch;
  if (typeof globalThis.fetch !== 'function') {
    throw unsupportedPlatform('fetch is required: use a platform that has it (Node 20, browsers) or pass `fetch`.');
  }
  return globalThis.fetch.bind(globalThis);
}

const DEFAULT_ATTEMPT_TIMEOUT_MS = 15_000;

/**
 * Throws InvalidArgumentError for options no try can succeed with (a caller's bug, not an outage
 * to retry): a `url` that is no http(s) URL (a relative one only where a page resolves it), a
 * token string that is no bearer token, an `attemptTimeoutMs` that is not above 0.
 */
export function checkTransportOptions(options: TransportOptions): void {
  const { attemptTimeoutMs, authToken } = options;
  if (attemptTimeoutMs !== undefined && !(attemptTimeoutMs > 0)) {
    throw new InvalidArgumentError(
      `attemptTimeoutMs must be above 0 (Infinity for no limit), not ${attemptTimeoutMs}.`,
    );
  }
  if (!isHttpUrl(options.url)) {
    throw new InvalidArgumentError(`url must be an http(s) URL, not ${JSON.stringify(options.url)}.`);
  }
  if (typeof authToken === 'string') bearerToken(authToken, (problem) => new InvalidArgumentError(problem));
}

function isHttpUrl(url: string): boolean {
  // A browser page resolves a relative URL (the demo's '/graphql'); Node has no page.
  const page = (globalThis as { location?: { href?: string } }).location?.href;
  try {
    return ['http:', 'https:'].includes(new URL(url, page).protocol);
  } catch {
    return false;
  }
}

/**
 * The token as sent: trimmed (as fetch trims a header value: a line break read from a file goes),
 * and visible ASCII, as a bearer token is (RFC 6750), else `refuse`'s error is thrown: fetch would
 * fail on a line break or a character above U+00FF, which is no network failure.
 */
function bearerToken(token: unknown, refuse: (problem: string) => Error): string {
  if (typeof token !== 'string') throw refuse(`authToken gave no token (${typeof token})`);
  const trimmed = token.trim();
  if (!/^[\x21-\x7e]*$/.test(trimmed)) {
    throw refuse('authToken is no bearer token: only visible ASCII characters, no spaces or line breaks');
  }
  return trimmed;
}

/** The bearer token, or a rejection once `signal` aborts first (the try's time is up). */
function tokenWithin(
  options: TransportOptions,
  request: AuthTokenRequest,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<string> {
  const { authToken } = options;
  if (typeof authToken === 'string') return Promise.resolve(authToken.trim());
  // An async function, so that a provider that throws synchronously rejects here too.
  const token = (async () => bearerToken(await authToken(request), (problem) => new Error(problem)))();
  return untilAborted(token, signal, `no token within ${timeoutMs} ms`);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A 2xx that is no answer of the operation: cut off, no data, or data without the operation's
 * answer (another GraphQL server, a gateway that dropped the field). Worth another try, same key.
 */
export function malformedResponse(message: string): GraphQLAnswer<never> & { kind: 'failed' } {
  return unavailable('MALFORMED_RESPONSE', message);
}

/** The SDK's own Unavailable, where no server answered. */
function unavailable(code: SdkErrorCode, message: string): GraphQLAnswer<never> & { kind: 'failed' } {
  return { kind: 'failed', failure: { kind: 'Unavailable', code, message } };
}

/** `failure` with the retry hint when there is one (written out for exactOptionalPropertyTypes). */
function failed(
  failure: Extract<RequestFailure, { kind: 'Unavailable' | 'Rejected' }>,
  retryAfterMs: number | undefined,
): GraphQLAnswer<never> {
  return { kind: 'failed', failure: retryAfterMs === undefined ? failure : { ...failure, retryAfterMs } };
}

/** The JSON body, or undefined when there is none or it is cut off (a proxy's error page, a dropped connection). */
async function readBody<T>(response: Response): Promise<GraphQLBody<T> | undefined> {
  try {
    // The JSON of a GraphQL response, by contract; anything that is not an object is treated as no body.
    const body = (await response.json()) as GraphQLBody<T> | null;
    return typeof body === 'object' && body !== null ? body : undefined;
  } catch {
    return undefined;
  }
}

function classify<T>(response: Response, body: GraphQLBody<T> | undefined): GraphQLAnswer<T> {
  const error = firstError(body);
  const code = typeof error?.extensions?.code === 'string' ? error.extensions.code : undefined;
  if (code === 'SERVICE_UNAVAILABLE' || (response.status >= 500 && code !== 'INTERNAL_SERVER_ERROR')) {
    const failure = {
      kind: 'Unavailable',
      code: code ?? `HTTP_${response.status}`,
      message: error ? messageOfError(error) : `HTTP ${response.status}`,
    } as const;
    return failed(failure, retryAfterMsOf(response, error?.extensions?.retryAfterMs));
  }
  if (error) {
    if (code === 'INTERNAL_SERVER_ERROR') {
      const requestId = error.extensions?.requestId;
      const failure = { kind: 'ServerError', code, message: messageOfError(error) } as const;
      return { kind: 'failed', failure: typeof requestId === 'string' ? { ...failure, requestId } : failure };
    }
    const unknown: SdkErrorCode = 'UNKNOWN';
    const failure = { kind: 'Rejected', code: code ?? unknown, message: messageOfError(error) } as const;
    return failed(failure, retryAfterMsOf(response, error?.extensions?.retryAfterMs));
  }
  if (!body?.data) {
    // A 2xx body cut off mid-way is a failed try; a 4xx without a GraphQL error (a proxy's or
    // CDN's page: HTML, empty, or JSON of its own) is a refusal by its status, with its Retry-After
    // (a 429 "Too Many Requests" says when to come back).
    if (response.ok) return malformedResponse(body ? 'The response had no data.' : 'The response could not be read.');
    const failure = { kind: 'Rejected', code: `HTTP_${response.status}`, message: `HTTP ${response.status}` } as const;
    return failed(failure, retryAfterMsOf(response, undefined));
  }
  return { kind: 'data', data: body.data };
}

/** The body's first GraphQL error, when its `errors` is a list that starts with an object. */
function firstError(body: GraphQLBody<unknown> | undefined): GraphQLError | undefined {
  const first: unknown = Array.isArray(body?.errors) ? body.errors[0] : undefined;
  return typeof first === 'object' && first !== null ? (first as GraphQLError) : undefined;
}

/** The error's message; one without (not sent by Order Gate itself) still gets a text, never undefined. */
function messageOfError(error: GraphQLError): string {
  return typeof error.message === 'string' && error.message !== ''
    ? error.message
    : 'A GraphQL error without a message.';
}
