/** One GraphQL POST with fetch, classified for retrying. No Node-only APIs. */

export type GraphQLAnswer<T> =
  | { kind: 'data'; data: T }
  /** Worth retrying: the network failed, the server failed (5xx, INTERNAL_SERVER_ERROR), or the reply was cut. */
  | { kind: 'transient'; message: string }
  /** The server refused the request (bad token, bad input): retrying will not help. */
  | { kind: 'refused'; code: string; message: string };

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

interface GraphQLBody<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export async function postGraphQL<T>(options: TransportOptions, query: string, variables: Record<string, unknown>): Promise<GraphQLAnswer<T>> {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const token = typeof options.authToken === 'function' ? await options.authToken() : options.authToken;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.attemptTimeoutMs ?? 15_000);
  try {
    const response = await fetchImpl(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
      signal: controller.signal,
    });
    if (response.status >= 500) return { kind: 'transient', message: `HTTP ${response.status}` };
    let body: GraphQLBody<T>;
    try {
      body = (await response.json()) as GraphQLBody<T>;
    } catch {
      // A body cut off mid-way is a network failure; an unreadable 4xx is a refusal.
      if (response.ok) return { kind: 'transient', message: 'The response could not be read.' };
      return { kind: 'refused', code: `HTTP_${response.status}`, message: `HTTP ${response.status}` };
    }
    const error = body.errors?.[0];
    if (error) {
      const code = error.extensions?.code ?? 'UNKNOWN';
      return code === 'INTERNAL_SERVER_ERROR' ? { kind: 'transient', message: error.message } : { kind: 'refused', code, message: error.message };
    }
    if (!body.data) return { kind: 'transient', message: 'The response had no data.' };
    return { kind: 'data', data: body.data };
  } catch (error) {
    return { kind: 'transient', message: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
