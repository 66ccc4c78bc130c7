import { randomUUID } from 'node:crypto';
import type { AuditRecord } from '../audit/audit-record';
import type { Product } from '../catalog/product.type';
import { DEFAULT_SEMANTIC_DUPLICATE_OPTIONS } from '../config/semantic-duplicate-policy';
import { classifyDatabaseFailure } from '../db/database-failure';
import { storableCopy } from '../db/storable-text';
import type { SemanticDuplicateOptions } from '../config/semantic-duplicate-policy';
import type { Transactions } from '../db/transactions';
import type { GuardedAttempt } from 'graphql-idempotency';
import { CREATE_ORDER } from '../idempotency/order-decision-event';
import type { OrderTokenService } from '../order-tokens/order-token.service';
import type { AttemptCountedAtAdmission } from '../risk/risk-feature-store';
import type { RiskAttempt } from '../risk/risk-assessment';
import type { DuplicateRiskScoring } from '../risk/risk-scoring';
import type { PreparedOrder } from './create-order.idempotency';
import { staticDuplicateRule } from './duplicate-decision';
import type { DuplicateVerdict } from './duplicate-decision';
import type { SqlRunner } from '../db/sql-runner';
import { placeReleasedOrder } from './held/released-order-placement';
import type { ReleaseAttempt } from './held/released-order-placement';
import type { HeldOrderRow } from './held/held-order';
import { CommittedAnswers } from './committed-answers';
import { runOrderTransaction } from './order-write';
import { RecentCarts } from './recent-carts';
import { countPlaced, scoredWrite } from './risk-placement';
import { placeWithOrderToken } from './token-placement';
import type { OrderRejection, OrderWrite, WriteOutcome } from './order-write';
import type { OrderService } from './order.service';
import type { CreateOrderResult } from './results/create-order-result.union';
import { OrderCreated } from './results/order-created.type';
import { PossibleDuplicate } from './results/possible-duplicate.type';

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
 * order came of it. The steps live beside it (token-placement.ts, risk-placement.ts,
 * held/released-order-placement.ts, order-write.ts); this class holds what they are given: the
 * options, the transactions, the token service and what the process remembers of recent carts.
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
      : placeWithOrderToken(this.tokens, this.answers, write, prepared.orderToken, (withToken) =>
          this.placeScored(withToken, sender, admitted),
        );
  }

  /**
   * Places a new-key attempt. With a model loaded, the risk features are sent for now and the
   * attempt is placed with the model's rule (scoredWrite), then counted (countPlaced).
   */
  private async placeScored(
    write: OrderWrite,
    sender: RiskAttempt,
    admitted: AttemptCountedAtAdmission | undefined,
  ): Promise<CreateOrderResult> {
    const risk = this.risk?.begin(sender, admitted) ?? null;
    if (!risk) return (await this.place(write)).result;
    let placed: Placed;
    try {
      placed = await this.place(scoredWrite(write, risk, this.semantic.windowMs));
    } catch (error) {
      // No order attempt: training sees a request where the audit log records the failure, else nothing.
      risk.withdraw(this.auditsFailure(error) ? { requests: 1 } : {});
      throw error;
    }
    countPlaced(risk, write, placed.result, placed.verdict);
    return placed.result;
  }

  /**
   * Places a held order an admin released, in the caller's transaction (placeReleasedOrder), with
   * the duplicate options this service was given.
   */
  placeReleased(sql: SqlRunner, held: HeldOrderRow, release: ReleaseAttempt): Promise<WriteOutcome | OrderRejection> {
    return placeReleasedOrder(sql, held, release, this.semantic);
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
