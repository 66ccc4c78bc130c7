import { fingerprintOf } from 'graphql-idempotency';
import type {
  Canonical,
  ClaimScope,
  GuardAnswer,
  IdempotencyPolicy,
  RejectedRequest,
  ResultOutcome,
  SettledResource,
} from 'graphql-idempotency';
import type { OrderDecisionMetadata } from '../../idempotency/order-decision-event';
import type { RequestContext } from '../../request/request-context';
import type { SalesChannel } from '../../sales-channel/sales-channel.type';
import { DetectionSource } from '../results/detection-source.type';
import { IdempotencyKeyReused } from '../results/idempotency-key-reused.type';
import { InvalidIdempotencyKey } from '../results/invalid-idempotency-key.type';
import { RequestInProgress } from '../results/request-in-progress.type';
import { ValidationFailed } from '../results/validation-failed.type';
import { isStorableText, UNSTORABLE_CHARACTERS } from '../../db/storable-text';
import { firstUnprintable, isBlank, UNPRINTABLE_IN_FREE_TEXT } from '../../request/printable-text';
import { settledChange } from './applied-change';
import { keyReused } from './key-reused';
import type { PreparedChange } from './applied-change';
import { UUID_PATTERN } from '../../request/uuid';
import type { ChangeAnswers } from './change-answers';
import type { LifecycleOperation } from './operation-scope';
import { ChangeApplied } from './results/change-applied.type';
import type { LifecycleResult } from './results/lifecycle-results.union';

/**
 * What the four lifecycle policies share: a change is remembered by its AppliedChange row, a repeat
 * reads it back (one statement) and shows its order or product as it is now, and every answer the
 * service gives was audited in its own transaction. A policy adds only how to read its arguments.
 * Each result type lists the guard's answers (KEYED in lifecycle-results.union.ts), so the casts
 * below to `TResult` hold by construction.
 */
export abstract class LifecyclePolicy<
  TArgs extends { idempotencyKey?: string | null },
  TResult extends LifecycleResult,
  TRequest extends Canonical,
> implements IdempotencyPolicy<TArgs, RequestContext, TResult, PreparedChange<TRequest>> {
  constructor(
    readonly operation: LifecycleOperation,
    private readonly answers: ChangeAnswers,
  ) {}

  /**
   * The request the mutation asks for (normalised), or the field that is wrong: with the request's
   * canonical form (RefusedChange) when it has one, so that a retry of a key whose change an
   * earlier version's rules accepted is answered with that change.
   */
  protected abstract parse(args: TArgs): TRequest | ValidationFailed | RefusedChange<TRequest>;

  /**
   * The request as its fingerprint reads it: the request itself, unless the order of some of its
   * parts is the caller's, not the request's (a refund's lines): then one canonical order.
   */
  protected canonical(request: TRequest): Canonical {
    return request;
  }

  prepare(args: TArgs, context: RequestContext, key: string): PreparedChange<TRequest> | RejectedRequest<TResult> {
    const request = this.parse(args);
    if (request instanceof ValidationFailed) return { reject: request as TResult };
    if (request instanceof RefusedChange) {
      const reject = request.refusal as TResult;
      const actorId = context.viewer?.customerId;
      if (actorId === undefined) return { reject };
      return {
        reject,
        scope: actorId,
        fingerprint: this.fingerprintOf(actorId, request.request),
        ...subject(request.request),
      };
    }
    const actor = context.requireViewer();
    const { operation } = this;
    return {
      scope: actor.customerId,
      fingerprint: this.fingerprintOf(actor.customerId, request),
      ...subject(request),
      operation,
      actor,
      key,
      request,
    };
  }

  /** The one fingerprint of a request, accepted or refused. */
  private fingerprintOf(actorId: string, request: TRequest): string {
    return fingerprintOf({ operation: this.operation, actor: actorId, request: this.canonical(request) });
  }

  outcomeOf(result: TResult): ResultOutcome {
    // The service audited every answer it gave in the answer's own transaction.
    if (result instanceof ChangeApplied) {
      const resource = settledChange(result.change);
      if (!result.detectedBy) return { outcome: 'created', resource, metadata: { recorded: true } };
      return { outcome: 'duplicate', layer: result.detectedBy, resource, metadata: { recorded: true } };
    }
    return { outcome: result instanceof IdempotencyKeyReused ? 'reused' : 'rejected', metadata: { recorded: true } };
  }

  /**
   * What a repeat's row names besides the key, as the change's first row does: the channel of the
   * order its answer shows (read as it is now). Without it, a repeat the claim store answered was
   * recorded with channel null while the held orders' repeats named theirs (docs/audit.md).
   */
  answerMetadata(result: TResult): Partial<OrderDecisionMetadata> | undefined {
    const { order } = result as { order?: { channel?: SalesChannel } | null };
    return order?.channel ? { channel: order.channel } : undefined;
  }

  async findCommitted(scope: ClaimScope): Promise<SettledResource | null> {
    const change = await this.answers.find(scope.scope, this.operation, scope.key);
    return change && settledChange(change);
  }

  async answer(answer: GuardAnswer): Promise<TResult | null> {
    switch (answer.outcome) {
      case 'duplicate':
        return (await this.answers.repeat(answer.resource.resourceId, DetectionSource[answer.layer])) as TResult | null;
      case 'reused':
        // Its advice names this mutation's change ("a new refund"), as the database's answer does.
        return keyReused({ operation: this.operation, key: answer.scope.key }) as TResult;
      case 'in_progress':
        return new RequestInProgress(answer.scope.key, answer.retryAfterMs) as TResult;
      case 'invalid_key':
        return new InvalidIdempotencyKey(answer.message) as TResult;
    }
  }
}

/** A request the rules refuse (`refusal`), in the canonical form it has anyway (for its fingerprint). */
export class RefusedChange<TRequest> {
  constructor(
    readonly refusal: ValidationFailed,
    readonly request: TRequest,
  ) {}
}

/**
 * An id argument (a UUID) as its request holds it: in lower case, since the id's case is not the
 * request's (a retry that upper-cases it asks for the same change, not the key reused); a malformed
 * id is bad input, not a missing order.
 */
export function idArgument(field: 'orderId' | 'heldOrderId', id: string): string | ValidationFailed {
  if (UUID_PATTERN.test(id)) return id.toLowerCase();
  return new ValidationFailed(field, field === 'orderId' ? 'An order id is a UUID.' : 'A held order id is a UUID.');
}

/** Characters a reason may have. */
const MAX_REASON_LENGTH = 500;

/** The request, or the request refused (RefusedChange) when there is a `refusal`. */
export function checked<TRequest>(
  request: TRequest,
  refusal: ValidationFailed | null,
): TRequest | RefusedChange<TRequest> {
  return refusal ? new RefusedChange(refusal, request) : request;
}

/** The rule of a reason, as the REST routes' document and the GraphQL arguments' descriptions state it. */
export const REASON_RULE =
  `1 to ${MAX_REASON_LENGTH} characters once trimmed (surrounding spaces are not kept), not only invisible ones, ` +
  'with no control character other than line breaks (\\n, \\r\\n) and tabs (no ESC, NUL or lone \\r) ' +
  'nor bidirectional embedding, override or isolate.';

/**
 * A reason as its request holds it, is fingerprinted and stored: trimmed, and in Unicode's composed
 * form (NFC), so that "é" typed as one character or as "e" and a combining accent (text copied from
 * a macOS file name) is one reason, and a retry spelling it the other way repeats the first answer.
 */
export function reasonArgument(reason: string): string {
  return reason.trim().normalize('NFC');
}

/** What is wrong with a reason (as reasonArgument reads it), or null. */
export function reasonProblem(reason: string): ValidationFailed | null {
  // Blank as an address field is: zero-width spaces or a soft hyphen alone say no reason.
  if (isBlank(reason) || reason.length > MAX_REASON_LENGTH || !isStorableText(reason))
    return new ValidationFailed(
      'reason',
      `A reason has 1 to ${MAX_REASON_LENGTH} characters, not only invisible ones, none of them ${UNSTORABLE_CHARACTERS}.`,
    );
  // Shown to the admins who read a cancellation, an adjustment or a dismissal, as an address is
  // shown on a label: an escape sequence or a bidirectional override would show them another text.
  // Free text typed in a textarea, though: its line breaks and tabs are text.
  const unprintable = firstUnprintable(reason, { lineBreaksAndTabs: true });
  if (unprintable)
    return new ValidationFailed(
      'reason',
      `The reason holds ${unprintable}: none of its characters may be ${UNPRINTABLE_IN_FREE_TEXT}.`,
    );
  return null;
}

/**
 * A repeat answered from the claim store is audited by observers: this names its order, for a
 * request that names one (valid, or refused by rules tightened since its key's change).
 */
function subject(request: unknown): { metadata?: { subjectOrderId: string } } {
  const { orderId } = request as { orderId?: unknown };
  return typeof orderId === 'string' ? { metadata: { subjectOrderId: orderId } } : {};
}
