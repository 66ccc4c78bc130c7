import { HeaderMap } from '@apollo/server';
import type { ApolloServerPlugin, BaseContext, GraphQLRequestContext } from '@apollo/server';
import { Kind, OperationTypeNode } from 'graphql';
import type { OperationDefinitionNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { IdempotencyEvent, IdempotencyRequest } from './events';
import type { IdempotencyGuard } from './guard';
import { repeatOf } from './repeats';
import type { ClaimedRepeat } from './repeats';

/** Options of the response-level replay. */
export interface ResponseReplayOptions<TContext> {
  /** The guard the guarded fields run under (the same instance). */
  guard: IdempotencyGuard;
  /**
   * The guarded operations (policy names) whose repeat is answered from its claim's replay alone: a
   * stored response is true as long as the claim is the same. Not an operation whose repeat reads
   * anything that changes without its claim changing (beyond what `ttlMs` allows).
   */
  operations: readonly string[];
  /**
   * Everything of the request's context that a guarded field's answer depends on besides its
   * arguments (the authenticated caller: id and role), as text; undefined never replays the
   * request (anonymous). Requests with equal identity, document and variables share stored responses.
   */
  identity(context: TContext): string | undefined;
  /**
   * How long a stored response may be sent again (ms): the staleness its live parts allow (fields
   * resolved from elsewhere than the replay, e.g. a product's name or stock). 0 turns the replay off.
   */
  ttlMs: number;
  /** Responses kept at most, least recently used dropped first. Default 1 000. */
  maxEntries?: number;
}

/** The plugin, and a way to drop every stored response at once (when the live parts changed). */
export interface ResponseReplayPlugin<TContext extends BaseContext> extends ApolloServerPlugin<TContext> {
  clear(): void;
}

/** A response sent for a repeat, and the claim it was built from. */
interface StoredResponse {
  repeat: ClaimedRepeat;
  data: Record<string, unknown>;
}

/**
 * A response-level replay: a mutation whose one top-level field is guarded and was answered as a
 * repeat from its completed claim's replay is answered the same way next time without executing
 * the selection set, when the same caller sends the same document and variables. The guard still
 * reads the key's claim (confirmRepeat): only while it is the very claim the response was built
 * from is the stored response sent, and the repeat is recorded as any other (observers: metrics,
 * audit; the request's decisions: headers). Any change to the claim (a different payload, a key in
 * progress, an order whose replay was rewritten because it changed) runs the request as usual.
 * Responses with errors or extensions, and operations with other top-level fields, are never stored.
 */
export function ApolloServerPluginResponseReplay<TContext extends BaseContext & IdempotencyRequest>(
  options: ResponseReplayOptions<TContext>,
): ResponseReplayPlugin<TContext> {
  const responses =
    options.ttlMs > 0
      ? new LRUCache<string, StoredResponse>({ max: options.maxEntries ?? 1_000, ttl: options.ttlMs })
      : undefined;
  return {
    clear: () => responses?.clear(),
    async requestDidStart() {
      if (!responses) return;
      let storeAs: string | undefined;
      let replayed = false;
      return {
        async responseForOperation(request) {
          const key = replayKey(request, options);
          if (key === undefined) return null;
          const stored = responses.get(key);
          if (!stored) {
            storeAs = key;
            return null;
          }
          if (!(await options.guard.confirmRepeat(stored.repeat, request.contextValue))) {
            responses.delete(key);
            storeAs = key;
            return null;
          }
          replayed = true;
          return {
            http: { status: undefined, headers: new HeaderMap() },
            body: { kind: 'single', singleResult: { data: stored.data } },
          };
        },
        async willSendResponse({ response, contextValue }) {
          if (replayed || storeAs === undefined || response.body.kind !== 'single') return;
          const { data, errors, extensions } = response.body.singleResult;
          if (!data || errors || extensions || (response.http.status ?? 200) !== 200) return;
          const repeat = onlyRepeat(contextValue.idempotencyDecisions);
          if (repeat && options.operations.includes(repeat.event.operation)) responses.set(storeAs, { repeat, data });
        },
      };
    },
  };
}

/** Caller, document, operation and variables; undefined when the request is not one to replay. */
function replayKey<TContext extends BaseContext>(
  request: GraphQLRequestContext<TContext>,
  options: ResponseReplayOptions<TContext>,
): string | undefined {
  const { operation } = request;
  if (!operation || !hasOneGuardableField(operation)) return undefined;
  const identity = options.identity(request.contextValue);
  if (identity === undefined || request.queryHash === undefined) return undefined;
  const variables = JSON.stringify(request.request.variables ?? {});
  return `${identity}\u0000${request.queryHash}\u0000${request.operationName ?? ''}\u0000${variables}`;
}

/** A mutation of exactly one top-level field, without directives (no @skip/@include, no fragments). */
function hasOneGuardableField(operation: OperationDefinitionNode): boolean {
  if (operation.operation !== OperationTypeNode.MUTATION) return false;
  const { selections } = operation.selectionSet;
  return selections.length === 1 && selections[0].kind === Kind.FIELD && !selections[0].directives?.length;
}

/** The request's one decision when it answered a repeat from a completed claim that keeps a replay. */
function onlyRepeat(decisions: readonly IdempotencyEvent[] | undefined): ClaimedRepeat | undefined {
  if (decisions?.length !== 1) return undefined;
  const [decision] = decisions;
  if (decision.outcome !== 'duplicate' || decision.layer !== 'CACHE' || decision.claim !== 'held') return undefined;
  const repeat = repeatOf(decision);
  // A claim without a replay was answered from the database: that answer follows the order, a stored one would not.
  return repeat?.claim.replay !== undefined ? repeat : undefined;
}
