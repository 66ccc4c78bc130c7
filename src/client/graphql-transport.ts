/** One GraphQL POST with fetch, classified for retrying. No Node-only APIs. */
import type { TypedDocumentString } from './generated.js';

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
   * `retryAfterMs`: when the refusal is for a while only, the hint: the server's RATE_LIMITED
   * (`extensions.retryAfterMs`), or a proxy's or CDN's 429 without a GraphQL body (code `HTTP_429`,
   * its `Retry-After`).
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
    const retryAfterMs = retryAfterMsOf(response, error);
    return {
      kind: 'unavailable',
      message: error?.message ?? `HTTP ${response.status}`,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
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
  if (!body?.data) {
    // A 2xx body cut off mid-way is a network failure; a 4xx without a GraphQL error (a proxy's or
    // CDN's page: HTML, empty, or JSON of its own) is a refusal by its status, with its Retry-After
    // (a 429 "Too Many Requests" says when to come back).
    if (response.ok) {
      return { kind: 'unavailable', message: body ? 'The response had no data.' : 'The response could not be read.' };
    }
    const retryAfterMs = retryAfterMsOf(response, undefined);
    return {
      kind: 'refused',
      code: `HTTP_${response.status}`,
      message: `HTTP ${response.status}`,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  }
  return { kind: 'data', data: body.data };
}

/**
 * The retry hint in ms: the server's exact one in the error, else the Retry-After header (RFC 9110
 * §10.2.3: delay-seconds, or an HTTP-date). A header that is neither is no hint.
 */
function retryAfterMsOf(response: Response, error: GraphQLError | undefined): number | undefined {
  const exact = error?.extensions?.retryAfterMs;
  if (typeof exact === 'number' && exact >= 0) return exact;
  const header = response.headers.get('retry-after')?.trim();
  if (!header) return undefined;
  if (/^\d+$/.test(header)) return Math.min(Number(header) * 1000, Number.MAX_SAFE_INTEGER);
  const at = httpDate(header);
  return at === undefined ? undefined : Math.max(0, at - Date.now());
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_DAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTH = `(?<month>${MONTHS.join('|')})`;
const TIME = '(?<hour>\\d{2}):(?<minute>\\d{2}):(?<second>\\d{2})';
/** IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), and the obsolete forms a recipient must accept too. */
const IMF_FIXDATE = new RegExp(`^${DAY}, (?<day>\\d{2}) ${MONTH} (?<year>\\d{4}) ${TIME} GMT$`);
const RFC850_DATE = new RegExp(`^${LONG_DAY}, (?<day>\\d{2})-${MONTH}-(?<year>\\d{2}) ${TIME} GMT$`);
const ASCTIME_DATE = new RegExp(`^${DAY} ${MONTH} (?<day> \\d|\\d{2}) ${TIME} (?<year>\\d{4})$`);

/** An HTTP-date (RFC 9110 §5.6.7) as epoch ms, or undefined. All three forms are UTC. */
function httpDate(text: string): number | undefined {
  const groups = (IMF_FIXDATE.exec(text) ?? RFC850_DATE.exec(text) ?? ASCTIME_DATE.exec(text))?.groups;
  if (!groups) return undefined;
  // Each pattern has all six groups; the defaults are for the type (string | undefined when the
  // user's project sets noUncheckedIndexedAccess).
  const { day = '', month = '', year = '', hour = '', minute = '', second = '' } = groups;
  const at = Date.UTC(fullYear(year), MONTHS.indexOf(month), Number(day), Number(hour), Number(minute), Number(second));
  const date = new Date(at);
  // Reject what Date.UTC would roll over (31 Feb, 25:00:00).
  return date.getUTCDate() === Number(day) &&
    date.getUTCHours() === Number(hour) &&
    date.getUTCMinutes() === Number(minute)
    ? at
    : undefined;
}

/** RFC 850's two-digit year more than 50 years ahead is the most recent past year with those digits. */
function fullYear(year: string): number {
  if (year.length !== 2) return Number(year);
  const thisYear = new Date().getUTCFullYear();
  const candidate = Math.floor(thisYear / 100) * 100 + Number(year);
  return candidate > thisYear + 50 ? candidate - 100 : candidate;
}
