import { Kind, OperationTypeNode } from 'graphql';
import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { IdempotencyEvent } from './events';
import type { IdempotencyGuard } from './guard';
import { repeatOf } from './repeats';
import type { ClaimedRepeat } from './repeats';

/** Options of the response-level replay (the Apollo Server plugin and the envelop plugin alike). */
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
  /**
   * Told of each stored response sent, with where it is stored and its data: a server that keeps
   * the bytes it answered with can send them again itself for the same request (Order Gate's HTTP
   * layer does), as long as `answer` gives back this very data for that place.
   */
  onReplay?(context: TContext, replay: StoredReplay): void;
}

/** A stored response sent again: where it is stored (keyOf) and its data. */
export interface StoredReplay {
  key: string;
  data: Record<string, unknown>;
}

/**
 * A replay plugin's stored responses, as a server that sends them again itself asks for them: the
 * data stored at `key` (a place `onReplay` told), once the guard confirmed and recorded the repeat;
 * undefined when it is gone, is not `expected` (when given) or its claim changed.
 */
export type StoredResponseAnswer<TContext> = (
  key: string,
  context: TContext,
  expected?: Record<string, unknown>,
) => Record<string, unknown> | undefined | Promise<Record<string, unknown> | undefined>;

/** What a replayable request is, as any server sees it. */
export interface ReplayableRequest {
  operation: OperationDefinitionNode | null | undefined;
  /** The document's identity: its text, or a hash of it. */
  document: string | undefined;
  operationName: string | null | undefined;
  variables: unknown;
}

/** The part of an execution result that is stored. */
export interface ReplayableResult {
  data?: Record<string, unknown> | null;
  errors?: readonly unknown[];
  extensions?: Record<string, unknown>;
}

/** A response sent for a repeat, and the claim it was built from. */
interface StoredResponse {
  repeat: ClaimedRepeat;
  data: Record<string, unknown>;
}

/**
 * The responses of a response-level replay, shared by its server adapters: a mutation whose one
 * top-level field is guarded and was answered as a repeat from its completed claim's replay is
 * answered the same way next time without executing the selection set, when the same caller sends
 * the same document and variables. The guard still checks the key's claim (confirmRepeat): only
 * while it is the very claim the response was built from is the stored response sent, and the
 * repeat is recorded as any other (observers: metrics, audit; the request's decisions: headers).
 * Any change to the claim (a different payload, a key in progress, an order whose replay was
 * rewritten because it changed) runs the request as usual. Responses with errors or extensions,
 * and operations with other top-level fields, are never stored.
 */
export class ResponseReplayCache<TContext extends object> {
  private readonly responses: LRUCache<string, StoredResponse> | undefined;

  constructor(private readonly options: ResponseReplayOptions<TContext>) {
    this.responses =
      options.ttlMs > 0 ? new LRUCache({ max: options.maxEntries ?? 1_000, ttl: options.ttlMs }) : undefined;
  }

  /** Drops every stored response (when the live parts of the answers changed). */
  clear(): void {
    this.responses?.clear();
  }

  /** Where the request's response is (or would be) stored; undefined when it is not one to replay. */
  keyOf(request: ReplayableRequest, context: TContext): string | undefined {
    if (!this.responses || !request.operation || !hasOneGuardableField(request.operation)) return undefined;
    if (request.document === undefined) return undefined;
    const identity = this.options.identity(context);
    if (identity === undefined) return undefined;
    const variables = variablesText(request.variables);
    if (variables === undefined) return undefined;
    return `${identity}\u0000${request.document}\u0000${request.operationName ?? ''}\u0000${variables}`;
  }

  /**
   * The stored response's data for the request stored at `key`, once the guard confirmed and
   * recorded the repeat; undefined when there is none or its claim changed (then it is dropped).
   * Answers at once when the guard can (a store that keeps the claim in memory). With `expected`,
   * only when the stored data is that very object (else undefined, nothing confirmed or recorded).
   */
  answer(
    key: string,
    context: TContext,
    expected?: Record<string, unknown>,
  ): Record<string, unknown> | undefined | Promise<Record<string, unknown> | undefined> {
    const stored = this.responses?.get(key);
    if (!stored || (expected !== undefined && stored.data !== expected)) return undefined;
    const confirmed = this.options.guard.confirmRepeat(stored.repeat, context);
    return typeof confirmed === 'boolean'
      ? this.settle(key, stored, confirmed, context)
      : confirmed.then((same) => this.settle(key, stored, same, context));
  }

  /** After the request at `key` ran: stores its response when it was a repeat answered from a claim's replay. */
  remember(key: string, result: ReplayableResult, decisions: readonly IdempotencyEvent[] | undefined): void {
    const { data, errors, extensions } = result;
    if (!this.responses || !data || errors || extensions) return;
    const repeat = onlyRepeat(decisions);
    if (repeat && this.options.operations.includes(repeat.event.operation)) this.responses.set(key, { repeat, data });
  }

  private settle(
    key: string,
    stored: StoredResponse,
    same: boolean,
    context: TContext,
  ): Record<string, unknown> | undefined {
    if (same) {
      this.options.onReplay?.(context, { key, data: stored.data });
      return stored.data;
    }
    this.responses?.delete(key);
    return undefined;
  }
}

/** The operation a request runs: the one named, or the document's only one; undefined otherwise. */
export function operationOf(
  document: DocumentNode,
  operationName?: string | null,
): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  if (operationName) return operations.find((operation) => operation.name?.value === operationName);
  return operations.length === 1 ? operations[0] : undefined;
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

/**
 * The variables as JSON, or undefined when they nest too deep for `JSON.stringify` (a RangeError:
 * it recurses, and a few thousand levels overflow the stack). Such a request is not one to replay:
 * it runs as usual (variables the operation does not declare are ignored, the ones it declares
 * refused by coercion). Before, the error escaped the plugin and Apollo Server answered HTTP 500.
 */
function variablesText(variables: unknown): string | undefined {
  try {
    return JSON.stringify(variables ?? {});
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}
