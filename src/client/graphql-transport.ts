/** One GraphQL POST with fetch, classified for retrying. No Node-only APIs. */
import type { TypedDocumentString } from './generated';

export type GraphQLAnswer<T> =
  | { kind: 'data'; data: T }
  /**
   * Worth retrying with the same key: the network failed or timed out, the reply was cut, the
   * `authToken` function threw (no request was sent), or the server is unavailable (SERVICE_UNAVAILABLE, or a 5xx such as a proxy's 502/503/504).
   * `retryAfterMs`: the server's hint (`extensions.retryAfterMs`, else `Retry-After`).
   */
  | { kind: 'unavailable'; message: string; retryAfterMs?: number }
  /** INTERNAL_SERVER_ERROR: a defect on the server; `requestId` identifies it in the server's logs. */
  | { kind: 'server-error'; message: string; requestId?: string }
  /**
   * The server refused the request (bad token, bad input): retrying will not help now.
   * `retryAfterMs`: when the refusal is for a while only (RATE_LIMITED), the server's hint.
   */
  | { kind: 'refused'; code: string; message: string; retryAfterMs?: number };

export interface TransportOptions {
  /** The GraphQL endpoint. */
  url: string;
  /** A bearer token, or a function that returns the current one. */
  authToken: string | (() => string | Promise<string>);
  /** How long one try may take before it is aborted and counts as a network failure (ms). Default 15 000. */
  attemptTimeoutMs?: number;
  /** The fetch to use. Default globalThis.fetch. */
  fetch?: typeof fetch;
}

interface GraphQLError {
  message: string;
  extensions?: { code?: unknown; retryAfterMs?: unknown; requestId?: unknown };
}

interface GraphQLBody<T> {
  data?: T | null;
  errors?: GraphQLError[];
}

export async function postGraphQL<TResult, TVariables>(
  options: TransportOptions,
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
): Promise<GraphQLAnswer<TResult>> {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.attemptTimeoutMs ?? 15_000);
  try {
    // Inside the try: a token provider that fails (a refresh that cannot reach its server) is a
    // failed try like a network failure, so the caller still gets an outcome with the key.
    const token = await tokenOf(options);
    const response = await fetchImpl(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: document.toString(), variables }),
      signal: controller.signal,
    });
    return classify(response, await readBody<TResult>(response));
  } catch (error) {
    return { kind: 'unavailable', message: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

async function tokenOf(options: TransportOptions): Promise<string> {
  if (typeof options.authToken !== 'function') return options.authToken;
  try {
    return await options.authToken();
  } catch (error) {
    throw new Error(`authToken failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
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
  const error = body?.errors?.[0];
  const code = typeof error?.extensions?.code === 'string' ? error.extensions.code : undefined;
  if (code === 'SERVICE_UNAVAILABLE' || (response.status >= 500 && code !== 'INTERNAL_SERVER_ERROR')) {
    return {
      kind: 'unavailable',
      message: error?.message ?? `HTTP ${response.status}`,
      retryAfterMs: retryAfterMsOf(response, error),
    };
  }
  if (error) {
    if (code !== 'INTERNAL_SERVER_ERROR') {
      const retryAfterMs = retryAfterMsOf(response, error);
      return {
        kind: 'refused',
        code: code ?? 'UNKNOWN',
        message: error.message,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      };
    }
    const requestId = error.extensions?.requestId;
    return { kind: 'server-error', message: error.message, ...(typeof requestId === 'string' ? { requestId } : {}) };
  }
  if (!body) {
    // A 2xx body cut off mid-way is a network failure; an unreadable 4xx is a refusal.
    if (response.ok) return { kind: 'unavailable', message: 'The response could not be read.' };
    return { kind: 'refused', code: `HTTP_${response.status}`, message: `HTTP ${response.status}` };
  }
  if (!body.data) return { kind: 'unavailable', message: 'The response had no data.' };
  return { kind: 'data', data: body.data };
}

/** The server's retry hint in ms: the exact one in the error, else the Retry-After header (seconds or an HTTP date). */
function retryAfterMsOf(response: Response, error: GraphQLError | undefined): number | undefined {
  const exact = error?.extensions?.retryAfterMs;
  if (typeof exact === 'number' && exact >= 0) return exact;
  const header = response.headers.get('retry-after');
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
