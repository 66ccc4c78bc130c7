import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import Negotiator from 'negotiator';

// The media types Apollo Server 5 chooses between for a single result, in its order (its
// MEDIA_TYPES): negotiated here the same way, with the same library, so both agree.
const APPLICATION_JSON = 'application/json; charset=utf-8';
const APPLICATION_JSON_GRAPHQL_CALLBACK = 'application/json; callbackSpec=1.0; charset=utf-8';
const APPLICATION_GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json; charset=utf-8';

/**
 * GraphQL request errors: the document does not parse or validate (the depth, alias, cost and
 * token limits included), the operation cannot be picked, or the variables do not coerce. Apollo
 * answers them 400 whatever the client accepts.
 */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * The HTTP status of a GraphQL response, by the GraphQL-over-HTTP spec and our outage contract:
 *
 * - `application/json` responses (the client did not prefer `application/graphql-response+json`,
 *   or sent no Accept): a GraphQL request error answers **200**, as the spec asks of that media
 *   type (a non-200 could come from any intermediary, so the client could not trust the body).
 *   With `application/graphql-response+json` it stays 400.
 * - no data and a SERVICE_UNAVAILABLE error (the database is down): **503** with `Retry-After`
 *   (whole seconds of the largest `retryAfterMs`, rounded up), for either media type. A response
 *   that carries data keeps 2xx, as the spec requires.
 *
 * Refusals about HTTP itself keep their status for both media types: an unreadable or batched
 * body, CSRF, the Idempotency-Key header (400/422, the IETF draft's codes), RATE_LIMITED (429).
 */
export function ApolloServerPluginResponseStatus(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ request, response }) {
          if (response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          if (!errors?.length) return;
          const retryAfterMs = serviceUnavailableRetryAfterMs(errors);
          if (data == null && retryAfterMs !== undefined) {
            response.http.status = 503;
            response.http.headers.set('retry-after', String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
            return;
          }
          if (
            response.http.status !== 400 ||
            !errors.every((error) => REQUEST_ERROR_CODES.has(String(error.extensions?.['code'])))
          )
            return;
          const mediaType = responseMediaType(request.http?.headers.get('accept'));
          if (mediaType === undefined || mediaType === APPLICATION_GRAPHQL_RESPONSE_JSON) return;
          // Set what was negotiated, so that Apollo does not negotiate again to another answer.
          response.http.headers.set('content-type', mediaType);
          response.http.status = 200;
        },
      };
    },
  };
}

/** The largest retry hint of the SERVICE_UNAVAILABLE errors (ms), or undefined when there is none. */
function serviceUnavailableRetryAfterMs(errors: readonly GraphQLFormattedError[]): number | undefined {
  const hints = errors
    .filter((error) => error.extensions?.['code'] === 'SERVICE_UNAVAILABLE')
    .map((error) => Number(error.extensions?.['retryAfterMs'] ?? 0));
  return hints.length > 0 ? Math.max(...hints) : undefined;
}

/** The media type Apollo answers a single result with; undefined when the client accepts none (Apollo: 406). */
function responseMediaType(accept: string | undefined): string | undefined {
  if (!accept) return APPLICATION_JSON;
  return new Negotiator({ headers: { accept } }).mediaType([
    APPLICATION_JSON,
    APPLICATION_GRAPHQL_RESPONSE_JSON,
    APPLICATION_JSON_GRAPHQL_CALLBACK,
  ]);
}
