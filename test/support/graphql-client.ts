import http from 'node:http';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import type { TypedDocumentString } from '../../src/client/generated';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: { data?: T | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

export interface PostOptions {
  token?: string;
  headers?: Record<string, string>;
  /** Called once the TCP connection is up (before the server has necessarily accepted it). */
  onConnect?: () => void;
  /** A keep-alive agent, for connections that carry several requests. Default: a connection of its own. */
  agent?: http.Agent;
}

/**
 * POSTs a GraphQL operation over a connection of its own (no keep-alive agent), as independent
 * clients would: concurrency tests really open that many sockets.
 */
export function postGraphQL<T = Record<string, unknown>>(
  baseUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  options: PostOptions = {},
): Promise<GraphQLResponse<T>> {
  return postRaw(baseUrl, JSON.stringify({ query, variables }), options).then((response) => ({
    ...response,
    body: JSON.parse(response.text) as GraphQLResponse<T>['body'],
  }));
}

/**
 * POSTs a typed document, variables and answer typed: one of test/operations/generated.ts (printed),
 * or one of the SDK's own (src/client/generated.ts, a query string: sent as SDK users send it).
 */
export function postOperation<Result, Variables extends Record<string, unknown>>(
  baseUrl: string,
  document: TypedDocumentNode<Result, Variables> | TypedDocumentString<Result, Variables>,
  variables: Variables,
  options: PostOptions = {},
): Promise<GraphQLResponse<Result>> {
  const query = document instanceof String ? document.toString() : print(document);
  return postGraphQL<Result>(baseUrl, query, variables, options);
}

/** POSTs any body to /graphql and returns the raw text (for malformed and hostile input). */
export function postRaw(
  baseUrl: string,
  body: string,
  options: PostOptions = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  const url = new URL('/graphql', baseUrl);
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        agent: options.agent ?? false,
        headers: {
          'content-type': 'application/json',
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...options.headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    const { onConnect } = options;
    if (onConnect) request.once('socket', (socket) => socket.once('connect', onConnect));
    request.on('error', reject);
    request.end(body);
  });
}
