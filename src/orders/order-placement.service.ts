import { randomUUID } from 'node:crypto';
import type { AuditRecord } from '../audit/audit-record';
import { Prisma } from '../db/prisma';
import type { Product } from '../catalog/product.type';
import { DEFAULT_SEMANTIC_DUPLICATE_OPTIONS } from '../config/semantic-duplicate-policy';
import { classifyDatabaseFailure } from '../db/database-failure';
import { storableCopy } from '../db/storable-text';
import type { SemanticDuplicateOptions } from '../config/semantic-duplicate-policy';
import type { Transactions } from '../db/transactions';
import { RolledBack } from '../db/transactions';
import type { GuardedAttempt } from 'graphql-idempotency';
import { CREATE_ORDER } from '../idempotency/order-decision-event';
import type { OrderTokenService } from '../order-tokens/order-token.service';
import type { AttemptCountedAtAdmission } from '../risk/risk-feature-store';
import type { RiskAttempt } from '../risk/risk-assessment';
import type { DuplicateRiskScoring } from '../risk/risk-scoring';
import type { PreparedOrder } from './create-order.idempotency';
import { scoredDuplicateRule, shadowDuplicateRule, staticDuplicateRule, withRiskMode } from './duplicate-decision';
import type { DuplicateRule, DuplicateVerdict } from './duplicate-decision';
import type { SqlRunner } from '../db/sql-runner';
import { heldAsReviewed } from './held/held-order-resolution';
import type { HeldOrderRow } from './held/held-order';
import { CommittedAnswers } from './committed-answers';
import { runOrderTransaction, writeOrder } from './order-write';
import { RecentCarts } from './recent-carts';
import { leaveRiskTakeBack } from './risk-take-backs';
import type { OrderRejection, OrderWrite, WriteOutcome } from './order-write';
import type { OrderService } from './order.service';
import type { CreateOrderResult } from './results/create-order-result.union';
import { DuplicateDetected } from './results/duplicate-detected.type';
import { InvalidOrderToken } from './results/invalid-order-token.type';
import { OrderCreated } from './results/order-created.type';
import { PossibleDuplicate } from './results/possible-duplicate.type';
import { RequestInProgress } from './results/request-in-progress.type';

/** Options of order placement. */
export interface OrderPlacementOptions {
  /** Semantic duplicate detection. Default: HOLD on every channel, a 10-minute window. */
  semanticDuplicates?: SemanticDuplicateOptions;
  /** Duplicate-risk scoring (src/risk). Default none: today's rule decides. */
  risk?: DuplicateRiskScoring | null;
  /** The audit log (buffered): an order transaction that failed on the database is recorded with its class. */
  auditLog?: { enqueue(record: AuditRecord): void } | null;
  /**
   * Told the products of each order this service committed, as the commit left them: the catalog
   * keeps them, so the order's answer shows them without reading them again.
   */
  catalog?: { remember(products: readonly Product[]): void } | null;
}

/** An attempt's answer, and the decision on its candidates when there were any. */
interface Placed {
  result: CreateOrderResult;
  verdict: DuplicateVerdict | null;
}

/**
 * Places orders. One transaction inserts the order, reserves stock, writes the items and the
 * order's audit record, all or nothing (see writeOrder). The unique (customerId, idempotencyKey)
 * index decides duplicates: a repeat that reaches the database finds the first request's row and
 * touches no stock at all. A one-time order token is checked and held before the transaction,
 * written with the order (its id is unique too), and then marked used, or given back when no
 * order came of it.
 */
export class OrderPlacementService {
  private readonly semantic: SemanticDuplicateOptions;
  private readonly risk: DuplicateRiskScoring | null;
  private readonly auditLog: OrderPlacementOptions['auditLog'];
  private readonly catalog: OrderPlacementOptions['catalog'];
  /** The carts placed lately, for the order transaction's guess of which orders are quiet. */
  private readonly recentCarts = new RecentCarts();
  private readonly answers: CommittedAnswers;

  constructor(
    private readonly transactions: Transactions,
    private readonly orders: OrderService,
    private readonly tokens: OrderTokenService,
    options: OrderPlacementOptions = {},
  ) {
    this.semantic = options.semanticDuplicates ?? DEFAULT_SEMANTIC_DUPLICATE_OPTIONS;
    this.risk = options.risk ?? null;
    this.auditLog = options.auditLog ?? null;
    this.catalog = options.catalog ?? null;
    this.answers = new CommittedAnswers(orders, transactions);
  }

  /** Places the order the guard prepared (parsed and fingerprinted once, in the guard's prepare step). */
  /** `admitted`: the customer's risk count-and-read the rate limit's call made (CreateOrderIdempotency.admit). */
  async placeOrder(
    attempt: GuardedAttempt<PreparedOrder>,
    admitted?: AttemptCountedAtAdmission,
  ): Promise<CreateOrderResult> {
    const { prepared } = attempt;
    const policy = this.semantic.policyByChannel[prepared.request.channel];
    const write: OrderWrite = {
      customerId: attempt.scope.scope,
      idempotencyKey: attempt.scope.key,
      fingerprint: prepared.fingerprint,
      request: prepared.request,
      orderTokenId: null,
      policy,
      windowMs: this.semantic.windowMs,
      decide: staticDuplicateRule(policy, this.semantic.windowMs),
      confirmed: prepared.confirmed,
      external: prepared.external,
      audit: {
        requestId: attempt.requestId,
        claim: attempt.claim,
        startedAt: attempt.startedAt,
        operation: attempt.scope.operation,
      },
    };
    const sender: RiskAttempt = {
      customerId: write.customerId,
      channel: prepared.request.channel,
      salesSource: prepared.external?.source ?? null,
      // The attempt's own arrival (the one admission added, else a new one): a request may carry
      // several attempts, and one taken back must not remove its siblings' (docs/risk.md, "Counting").
      arrivalId: admitted?.arrivalId ?? randomUUID(),
    };
    const reserved = await this.answers.reservedKey(write);
    if (reserved) return reserved;
    return prepared.orderToken == null
      ? this.placeScored(write, sender, admitted)
      : this.placeWithToken(write, prepared.orderToken, sender, admitted);
  }

  /**
   * Places a new-key attempt. With a model loaded, the risk features are sent for now, the lookup
   * looks back over the model's lookback, and the transaction waits for the features only if it
   * finds a candidate (then the score decides, the guard rail under it; without a score, today's
   * rule). In shadow mode today's rule decides and the model's verdict is recorded beside it.
   */
  private async placeScored(
    write: OrderWrite,
    sender: RiskAttempt,
    admitted: AttemptCountedAtAdmission | undefined,
  ): Promise<CreateOrderResult> {
    const risk = this.risk?.begin(sender, admitted) ?? null;
    if (!risk) return (await this.place(write)).result;
    const windowMs = this.semantic.windowMs;
    const rule: DuplicateRule = { policy: write.policy, staticWindowMs: windowMs, minHoldMs: risk.minHoldMs };
    let placed: Placed;
    try {
      placed = await this.place({
        ...write,
        windowMs: Math.max(windowMs, risk.lookbackMs),
        decide: risk.scorer.then((scorer) => {
          if (risk.mode === 'shadow') return withRiskMode(shadowDuplicateRule(rule, scorer), 'shadow');
          return withRiskMode(
            scorer ? scoredDuplicateRule(rule, scorer) : staticDuplicateRule(rule.policy, windowMs),
            'decide',
          );
        }),
      });
    } catch (error) {
      // No order attempt: training sees a request where the audit log records the failure, else nothing.
      risk.withdraw(this.auditsFailure(error) ? { requests: 1 } : {});
      throw error;
    }
    // Counted as an order attempt as it arrived; training counts one only for an order or a hold
    // (docs/risk.md, "Counting"): anything else (too little stock, a SKU gone, a repeat only the
    // database knew) is taken back by the observer, with its count as the request it was (one
    // update: the decision's event carries the take-back, CreateOrderIdempotency.outcomeOf).
    // A held key sent again is a retry of its attempt, not a new one: taken back the same way.
    const { verdict } = placed;
    const resent = verdict?.resent === true;
    if (resent || !(placed.result instanceof OrderCreated || placed.result instanceof PossibleDuplicate))
      leaveRiskTakeBack(placed.result, risk.takeBackWithDecision());
    // A confirmation is the client's decision, not the rule's or the model's, and a resent hold is
    // the hold already decided: nothing to count or compare (a confirmation's verdict still says
    // HOLD, but the order was placed).
    if (write.confirmed || resent) return placed.result;
    risk.settle({
      action: verdict?.action ?? null,
      decidedBy: verdict?.decidedBy ?? 'static-rule',
      score: verdict?.score ?? null,
      ...(verdict?.shadow ? { shadow: verdict.shadow } : {}),
    });
    return placed.result;
  }

  private async placeWithToken(
    write: OrderWrite,
    token: string,
    sender: RiskAttempt,
    admitted: AttemptCountedAtAdmission | undefined,
  ): Promise<CreateOrderResult> {
    const admission = await this.tokens.admit(write.customerId, token);
    switch (admission.kind) {
      case 'invalid':
        return new InvalidOrderToken(admission.message);
      case 'in-use':
        return new RequestInProgress(write.idempotencyKey, admission.retryAfterMs);
      case 'expired':
        return (
          (await this.answers.byKey(write)) ??
          (await this.answers.withTokenOrder(write, admission.tokenId)) ??
          new InvalidOrderToken('The order token has expired.')
        );
      case 'used':
        return (
          (await this.answers.byKey(write)) ??
          (await this.answers.withTokenOrder(write, admission.tokenId)) ??
          new InvalidOrderToken('The order token was already used.')
        );
    }
    let result: CreateOrderResult;
    try {
      result = await this.placeScored({ ...write, orderTokenId: admission.tokenId }, sender, admitted);
    } catch (error) {
      await this.tokens.settle(admission.hold, null);
      throw error;
    }
    await this.tokens.settle(admission.hold, orderThatUsedToken(result, admission.tokenId));
    return result;
  }

  /**
   * Places a held order an admin released (src/orders/held), in the caller's transaction: under
   * the held key and door identity (so at most once, whichever door a retry comes through), with
   * the duplicate check bypassed as confirmPossibleDuplicate does, the stock rules as for any order.
   * A refusal (stock, a SKU gone) is answered as writeOrder answers it: an OrderRejection, for the
   * caller to roll back to its savepoint.
   */
  async placeReleased(
    sql: SqlRunner,
    held: HeldOrderRow,
    release: { adminId: string; requestId: string; claim: OrderWrite['audit']['claim']; startedAt: number },
  ): Promise<WriteOutcome | OrderRejection> {
    const policy = this.semantic.policyByChannel[held.request.channel];
    const write: OrderWrite = {
      customerId: held.customerId,
      idempotencyKey: held.idempotencyKey,
      fingerprint: held.fingerprint,
      request: held.request,
      // With the token the held request carried: the token then stands for this order (a later
      // request with it is answered TOKEN), as it would had the request not been held. A token
      // another order used since is left out: the token's index would refuse the release.
      orderTokenId: (await tokenStillFree(sql, held.orderTokenId)) ? held.orderTokenId : null,
      policy,
      windowMs: this.semantic.windowMs,
      decide: staticDuplicateRule(policy, this.semantic.windowMs),
      confirmed: true,
      external: held.externalId === null ? null : { source: held.source, externalId: held.externalId },
      // The order's record is its key's (a createOrder key); the release's own record names the admin.
      audit: {
        requestId: release.requestId,
        claim: release.claim,
        startedAt: release.startedAt,
        operation: CREATE_ORDER,
      },
      release: { heldOrderId: held.id, adminId: release.adminId, reviewed: await heldAsReviewed(sql, held) },
    };
    const outcome = await writeOrder(sql, write);
    // Another order took the token between the check and the insert (the insert waited for it to
    // commit, then placed nothing: its ON CONFLICT has no target). The release places without it.
    const placedNothing = !(outcome instanceof RolledBack) && outcome.kind === 'existing';
    if (placedNothing && write.orderTokenId !== null && !(await tokenStillFree(sql, write.orderTokenId)))
      return writeOrder(sql, { ...write, orderTokenId: null });
    return outcome;
  }

  private async place(write: OrderWrite): Promise<Placed> {
    try {
      const outcome = await runOrderTransaction(this.transactions, write, this.recentCarts);
      switch (outcome.kind) {
        case 'created':
          // Committed (run ended the transaction): the rows read under its locks are the newest.
          this.catalog?.remember(outcome.products);
          return {
            result: new OrderCreated(outcome.order, { semanticMatch: outcome.semanticMatch, recorded: true }),
            verdict: outcome.verdict,
          };
        case 'held': {
          const { candidate, heldOrder, verdict } = outcome;
          const { match } = verdict.candidate;
          return {
            result: new PossibleDuplicate(candidate, match.similarity, match.reasons, verdict, heldOrder.id),
            verdict,
          };
        }
        case 'existing':
          return { result: await this.answers.existing(write), verdict: null };
        case 'released-before':
          return { result: await this.answers.released(write, outcome.orderId), verdict: null };
        case 'rejected':
          return { result: outcome.answer, verdict: null };
      }
    } catch (error) {
      this.auditDatabaseFailure(write, error);
      throw error;
    }
  }

  /** Whether a failure of the order transaction leaves an audit record (auditDatabaseFailure). */
  private auditsFailure(error: unknown): boolean {
    return this.auditLog !== null && classifyDatabaseFailure(error) !== undefined;
  }

  /**
   * Records an order transaction that failed on the database (it becomes a 503; the client's retry
   * with the same key writes the decision): the audit then says which failure it was. Buffered,
   * so a database that is down loses nothing here until the buffer is full.
   */
  private auditDatabaseFailure(write: OrderWrite, error: unknown): void {
    const failure = classifyDatabaseFailure(error);
    if (!failure || !this.auditLog) return;
    this.auditLog.enqueue({
      at: new Date(),
      outcome: 'database_unavailable',
      source: failure.class,
      claim: write.audit.claim,
      customerId: write.customerId,
      idempotencyKey: write.idempotencyKey,
      fingerprint: write.fingerprint,
      channel: write.request.channel,
      salesSource: write.external ? storableCopy(write.external.source) : null,
      orderId: null,
      relatedOrderId: null,
      requestId: write.audit.requestId,
      latencyMs: performance.now() - write.audit.startedAt,
      operation: write.audit.operation ?? CREATE_ORDER,
    });
  }
}

/** The id of the order that now holds the token (ours, or the one found holding it), or null if none does. */
function orderThatUsedToken(result: CreateOrderResult, orderTokenId: string): string | null {
  if (result instanceof OrderCreated) return result.order.id;
  if (result instanceof DuplicateDetected && result.originalOrder.orderTokenId === orderTokenId)
    return result.originalOrder.id;
  return null;
}

/** Whether no order holds this order token (false for none). */
async function tokenStillFree(sql: SqlRunner, orderTokenId: string | null): Promise<boolean> {
  if (orderTokenId === null) return false;
  const used = await sql.query(Prisma.sql`SELECT 1 FROM "Order" WHERE "orderTokenId" = ${orderTokenId}`);
  return used.length === 0;
}
