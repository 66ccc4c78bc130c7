import type { ApolloServerPlugin, BaseContext, GraphQLResponse, HTTPGraphQLHead } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { GraphQLFormattedError } from 'graphql';
import { idempotentDirectiveErrors } from './directive-rule';
import { IDEMPOTENCY_ERROR_CODES } from './error-codes';
import { IDEMPOTENT_REPLAYED_HEADER, decisionsOf, idempotencyHeaders } from './events';
import type { GuardSchemaOptions } from './schema';
import { guardSchema, refuseGuardsOffMutations } from './schema';

/**
 * The Apollo Server plugin: guards the schema's mutations named in `policies` or marked
 * `@idempotent` in the SDL (declare `IDEMPOTENT_DIRECTIVE_SDL` in your type definitions), and does
 * for each request what ApolloServerPluginIdempotentDirective does (the HTTP headers, the refusal of
 * an unguarded `@idempotent(key:)`, no stack traces on the package's refusals).
 */
export function ApolloServerPluginIdempotency<TContext extends BaseContext>(
  options: GuardSchemaOptions<TContext>,
): ApolloServerPlugin<TContext> {
  return {
    ...ApolloServerPluginIdempotentDirective<TContext>(),
    // guardSchema refuses what ApolloServerPluginIdempotentDirective's start does, and more.
    async serverWillStart({ schema }) {
      guardSchema(schema, options);
    },
  };
}

/**
 * The Apollo Server plugin for a server whose guard comes from elsewhere (type-graphql's
 * `@Idempotent`, or `guardSchema`); ApolloServerPluginIdempotency includes it. It sets the HTTP
 * headers of the IETF draft and Stripe from the request's decisions: `Idempotent-Replayed: true`
 * when every guarded field of the answer was a repeat, `Retry-After` (seconds) when one was in
 * progress. It refuses an operation's `@idempotent(key:)` on a field no guard runs for with HTTP 400
 * and IDEMPOTENCY_KEY_NOT_SUPPORTED before anything runs, rather than ignoring it. The package's
 * refusals go out without Apollo Server's development stack trace (see withoutStackTraces).
 */
export function ApolloServerPluginIdempotentDirective<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    // `@Idempotent` (or `@idempotent`) on a query or subscription field: the server does not start.
    async serverWillStart({ schema }) {
      refuseGuardsOffMutations(schema);
    },
    async requestDidStart({ contextValue, response: { http: head } }) {
      // The guard appends its decisions to this list once it is on the context.
      const decisions = decisionsOf(contextValue);
      const answers = answersOn(head);
      let refused = false;
      return {
        async didResolveOperation({ schema, document }) {
          const [error] = idempotentDirectiveErrors(schema, document);
          if (!error) return;
          refused = true;
          if (answers.refused === 0) answers.statusBeforeRefusal = head.status;
          throw withStatus400(error);
        },
        async willSendResponse({ response }) {
          answers.answered += 1;
          if (refused) answers.refused += 1;
          else if (isRequestError(response)) answers.otherRequestErrors += 1;
          // In a batch whose other operations ran, the refusal is that operation's answer alone:
          // its 400 would tell the client that what the others did (an order placed) failed. Not
          // when another operation was refused on its own (invalid): its 400 is the batch's.
          const othersRan = answers.refused < answers.answered && answers.otherRequestErrors === 0;
          if (answers.refused > 0 && othersRan && head.status === 400) head.status = answers.statusBeforeRefusal;
          const headers = idempotencyHeaders(decisions);
          // A batched HTTP request's operations share one response head and one context (so one list
          // of decisions): the last to answer sees every decision, and takes back the repeat mark an
          // earlier operation set when one of the batch was not a repeat.
          if (!headers.some(([name]) => name === IDEMPOTENT_REPLAYED_HEADER))
            response.http.headers.delete(IDEMPOTENT_REPLAYED_HEADER);
          for (const [name, value] of headers) response.http.headers.set(name, value);
          withoutStackTraces(response);
        },
      };
    },
  };
}

/**
 * Apollo Server adds a stack trace to every error it answers unless NODE_ENV is production or test
 * (includeStacktraceInErrorResponses). The package's refusals (IDEMPOTENCY_ERROR_CODES) are answers
 * to the client, not faults: their trace would only show the package's code and the server's
 * paths. Every other error keeps it.
 */
function withoutStackTraces(response: GraphQLResponse): void {
  if (response.body.kind !== 'single') return;
  const { singleResult } = response.body;
  if (!singleResult.errors?.some(isRefusalWithTrace)) return;
  singleResult.errors = singleResult.errors.map((error) => {
    if (!isRefusalWithTrace(error)) return error;
    const { stacktrace: _stacktrace, ...extensions } = error.extensions;
    return { ...error, extensions };
  });
}

function isRefusalWithTrace(error: GraphQLFormattedError): error is GraphQLFormattedError & {
  extensions: Record<string, unknown>;
} {
  return (
    error.extensions?.['stacktrace'] !== undefined && IDEMPOTENCY_ERROR_CODES.has(String(error.extensions['code']))
  );
}

/**
 * How the operations answered on one response head: a batched HTTP request's operations share one
 * head (its status is the batch's), a request of one operation has its own. The refusal of an
 * unguarded `@idempotent(key:)` runs once the operation is resolved (a plugin cannot add
 * validation rules), and is a 400 only when every operation on the head was refused.
 */
interface HeadAnswers {
  answered: number;
  refused: number;
  /** The head's status when the first refusal set 400 (another operation's, or none yet). */
  statusBeforeRefusal: number | undefined;
  /** Other operations answered with a request error (no data: invalid, not resolved), whose 400 stands. */
  otherRequestErrors: number;
}

/** An answer without data: the operation never ran (a request error), as opposed to a field's error. */
function isRequestError(response: GraphQLResponse): boolean {
  return response.body.kind === 'single' && response.body.singleResult.data === undefined;
}

const answersByHead = new WeakMap<HTTPGraphQLHead, HeadAnswers>();

function answersOn(head: HTTPGraphQLHead): HeadAnswers {
  let answers = answersByHead.get(head);
  if (!answers)
    answersByHead.set(
      head,
      (answers = { answered: 0, refused: 0, statusBeforeRefusal: undefined, otherRequestErrors: 0 }),
    );
  return answers;
}

/** The rule's error as Apollo Server answers a request error (its status from `extensions.http`; 500 otherwise). */
function withStatus400(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    extensions: { ...error.extensions, http: { status: 400 } },
  });
}

export { ApolloServerPluginResponseReplay } from './response-replay';
export type {
  ResponseReplayOptions,
  ResponseReplayPlugin,
  StoredReplay,
  StoredResponseAnswer,
} from './response-replay';
