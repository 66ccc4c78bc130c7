import type { OnExecuteHookResult, Plugin } from '@envelop/core';
import type { ExecutionArgs, GraphQLSchema } from 'graphql';
import { IdempotentDirectiveRule } from './directive-rule';
import { decisionsOf, idempotencyHeaders } from './events';
import type { IdempotencyEvent } from './events';
import { ResponseReplayCache, operationOf } from './response-replay-cache';
import type { ResponseReplayOptions, StoredResponseAnswer } from './response-replay-cache';
import type { GuardSchemaOptions } from './schema';
import { guardSchema } from './schema';

export type { ResponseReplayOptions } from './response-replay-cache';

/** What GraphQL Yoga adds to an envelop plugin that this one uses: the HTTP response of a request. */
interface YogaResponseHook {
  onResponse?(payload: { request: object; response: { headers: { set(name: string, value: string): void } } }): void;
}

/**
 * The envelop plugin (GraphQL Yoga, or any envelop server): guards the schema's mutations named in
 * `policies` or marked `@idempotent`, whenever the schema is set. On GraphQL Yoga it also sets the
 * HTTP headers of the IETF draft and Stripe, as the Apollo Server plugin does:
 * `Idempotent-Replayed: true` when every guarded field of the answer was a repeat, `Retry-After`
 * (seconds) when one was in progress. An operation's `@idempotent(key:)` on a field it does not
 * guard fails validation (IDEMPOTENCY_KEY_NOT_SUPPORTED) rather than being ignored.
 */
export function useIdempotency<TContext = unknown>(options: GuardSchemaOptions<TContext>): Plugin & YogaResponseHook {
  // Each HTTP request's decisions, found again when Yoga hands its response (Yoga's context holds
  // the request: a Fetch API Request, Node's or a ponyfill's). A batched request runs each of its
  // operations with a context of its own: one list of decisions per operation, all read at the end.
  const decisionsByRequest = new WeakMap<object, IdempotencyEvent[][]>();
  return {
    onSchemaChange({ schema }) {
      // envelop types the schema loosely (any); its servers hand a graphql-js schema.
      guardSchema(schema as GraphQLSchema, options);
    },
    onValidate({ addValidationRule }) {
      addValidationRule(IdempotentDirectiveRule);
    },
    onExecute({ args }) {
      const context = (args as ExecutionArgs).contextValue as { request?: unknown } | undefined;
      if (!context) return;
      const decisions = decisionsOf(context);
      const { request } = context;
      if (typeof request !== 'object' || request === null) return;
      const operations = decisionsByRequest.get(request);
      if (!operations) decisionsByRequest.set(request, [decisions]);
      else if (!operations.includes(decisions)) operations.push(decisions);
    },
    onResponse({ request, response }) {
      const operations = decisionsByRequest.get(request);
      if (!operations) return;
      const decisions = operations.length === 1 ? operations[0] : operations.flat();
      for (const [name, value] of idempotencyHeaders(decisions)) response.headers.set(name, value);
    },
  };
}

/**
 * The envelop replay plugin, a way to drop every stored response at once (when the live parts
 * changed), and its stored responses' `answer` (as ResponseReplayPlugin's, for a server that sends
 * them again itself).
 */
export type ResponseReplayEnvelopPlugin = Plugin & { clear(): void; answer: StoredResponseAnswer<object> };

/**
 * The response-level replay for envelop servers (GraphQL Yoga), next to `useIdempotency`
 * (response-replay-cache.ts says what it replays and when): a stored response replaces execution,
 * and a repeat's result is stored as execution ends. A document is known by its text, so parsing
 * must keep locations (graphql-js and Yoga do by default); one parsed without is never replayed.
 */
export function useResponseReplay<TContext extends object>(
  options: ResponseReplayOptions<TContext>,
): ResponseReplayEnvelopPlugin {
  const responses = new ResponseReplayCache(options);
  return {
    clear: () => responses.clear(),
    answer: (key, context, expected) => responses.answer(key, context as TContext, expected),
    onExecute({ args, setResultAndStopExecution }) {
      // envelop types the arguments loosely (any); its servers run graphql-js.
      const { document, operationName, variableValues, contextValue } = args as ExecutionArgs;
      const context = contextValue as TContext;
      const key = responses.keyOf(
        {
          operation: operationOf(document, operationName),
          document: document.loc?.source.body,
          operationName,
          variables: variableValues,
        },
        context,
      );
      if (key === undefined) return;
      // The guard tells the request's decisions here; what the replay stores a repeat by.
      const decisions = decisionsOf(context);
      const storeWhenDone: OnExecuteHookResult<object> = {
        onExecuteDone({ result }) {
          if (!(Symbol.asyncIterator in result)) responses.remember(key, result, decisions);
        },
      };
      const answered = (data: Record<string, unknown> | undefined) => {
        if (!data) return storeWhenDone;
        setResultAndStopExecution({ data });
        return undefined;
      };
      const data = responses.answer(key, context);
      return data instanceof Promise ? data.then(answered) : answered(data);
    },
  };
}
