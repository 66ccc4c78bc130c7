import { assertPageSize } from '../../request/page-size';
import { KeysetPaging, parseUuid } from '../../request/keyset-page';
import type { PageRequest } from '../../request/page-size';
import { Prisma } from '../../db/prisma';
import type { SqlRunner } from '../../db/sql-runner';
import { RolledBack } from '../../db/transactions';
import type { Transactions } from '../../db/transactions';
import type { GuardedAttempt } from 'graphql-idempotency';
import { findChange, insertChange, lifecycleAuditSql } from '../lifecycle/applied-change';
import type { LifecycleDecision, PreparedChange } from '../lifecycle/applied-change';
import { auditOutcomeOf, heldSubjectOf, repeatOrReused } from '../lifecycle/change-answers';
import type { OrderPlacementService } from '../order-placement.service';
import { MAX_PAGE_SIZE } from '../order.service';
import { DetectionSource } from '../results/detection-source.type';
import { keyReused } from '../lifecycle/key-reused';
import { dismissHeldOrder, findHeldOrder, lockHeldOrder, settleByExistingOrder } from './held-order-resolution';
import type { HeldOrderRow, HeldOrderState } from './held-order';
import { HeldOrderAlreadyResolved } from './results/held-order-already-resolved.type';
import { HeldOrderDismissed } from './results/held-order-dismissed.type';
import { HeldOrderNotFound } from './results/held-order-not-found.type';
import { HeldOrderReleased } from './results/held-order-released.type';
import type { DismissHeldOrderResult, ReleaseHeldOrderResult } from './results/held-order-results.union';

/** What each mutation asks for, as its policy parsed it. */
export type ReleaseRequest = { heldOrderId: string };
export type DismissRequest = { heldOrderId: string; reason: string };

/** The savepoint a release rolls back to when its order is refused: the refusal changes nothing. */
const BEFORE_RELEASE = Prisma.sql`SAVEPOINT before_release`;
const UNDO_RELEASE = Prisma.sql`ROLLBACK TO SAVEPOINT before_release`;

/** heldOrders: ties of heldAt smallest id first, as the list always gave them. */
const HELD_ORDERS = new KeysetPaging({
  table: '"HeldOrder"',
  sortKey: 'heldAt',
  descending: true,
  idDescending: false,
  parseId: parseUuid,
  refusal: '`after` must be the id of a held order.',
});

/**
 * releaseHeldOrder and dismissHeldOrder (admins). Each is one transaction in the lifecycle
 * mutations' frame: lock the held order (after its customer's lock, as placement takes them),
 * ask the unique (admin, operation, key) index of AppliedChange, decide, audit in the same
 * transaction naming the admin. A release places the order through OrderPlacementService under
 * the held key, so concurrent releases (any keys), a release racing a dismissal and the customer's
 * own retry of the key come to one order at most.
 */
export class HeldOrderService {
  constructor(
    private readonly transactions: Transactions,
    private readonly placement: OrderPlacementService,
    private readonly reads: SqlRunner,
  ) {}

  /**
   * A page of the held orders in a status, the most recently held first: by (heldAt, id) from the
   * held order `after` names, which keeps its place even if it was released or dismissed since. A
   * held order held again (its key resent) moves to the front, where a new walk finds it.
   */
  async list(status: HeldOrderState, page: PageRequest): Promise<HeldOrderRow[]> {
    assertPageSize(page.first);
    return HELD_ORDERS.read<HeldOrderRow>(this.reads, {
      after: page.after,
      // Any held order, of any status: the walk goes on from a row released since it was listed.
      cursorScope: Prisma.sql`TRUE`,
      statement: (beyond) => Prisma.sql`
        SELECT * FROM "HeldOrder" WHERE "status" = ${status} AND ${beyond}
        ORDER BY ${HELD_ORDERS.orderBy()} LIMIT ${Math.min(page.first, MAX_PAGE_SIZE)}`,
    });
  }

  release(attempt: GuardedAttempt<PreparedChange<ReleaseRequest>>): Promise<ReleaseHeldOrderResult> {
    const { prepared } = attempt;
    return this.decide<ReleaseHeldOrderResult>(attempt, async (sql, held, decided) => {
      await sql.query(BEFORE_RELEASE);
      const change = await insertChange(sql, prepared, { heldOrderId: held.id });
      if (!change) return decided(keyReused(prepared));
      const outcome = await this.placement.placeReleased(sql, held, {
        adminId: prepared.actor.customerId,
        requestId: attempt.requestId,
        claim: attempt.claim,
        startedAt: attempt.startedAt,
      });
      if (outcome instanceof RolledBack) {
        // Out of stock, a SKU gone: not remembered, the held order stays held; the same key may try again.
        await sql.query(UNDO_RELEASE);
        return decided(outcome.value.answer, { channel: held.channel });
      }
      if (outcome.kind !== 'created') {
        // An order already holds the key (or the door's identity): it settled the held order.
        await sql.query(UNDO_RELEASE);
        const settled = await settleByExistingOrder(sql, held);
        if (!settled) throw new Error('The held order’s key conflicted, but no order holds it.');
        return decided(new HeldOrderAlreadyResolved(settled), { orderId: settled.orderId });
      }
      const released = (await findHeldOrder(sql, held.id))!;
      return decided(new HeldOrderReleased(released, outcome.order, change, null), { orderId: outcome.order.id });
    });
  }

  dismiss(attempt: GuardedAttempt<PreparedChange<DismissRequest>>): Promise<DismissHeldOrderResult> {
    const { prepared } = attempt;
    return this.decide<DismissHeldOrderResult>(attempt, async (sql, held, decided) => {
      const placed = await settleByExistingOrder(sql, held);
      if (placed) return decided(new HeldOrderAlreadyResolved(placed), { orderId: placed.orderId });
      const change = await insertChange(sql, prepared, { heldOrderId: held.id, reason: prepared.request.reason });
      if (!change) return decided(keyReused(prepared));
      const dismissed = await dismissHeldOrder(sql, held, prepared.actor.customerId, prepared.request.reason);
      return decided(new HeldOrderDismissed(dismissed, change, null));
    });
  }

  /**
   * The shared frame: lock the held order, answer a committed key from the database, refuse a
   * settled held order, else let `change` decide; every answer is audited in its transaction.
   */
  private decide<TResult>(
    attempt: GuardedAttempt<PreparedChange<{ heldOrderId: string }>>,
    change: (
      sql: SqlRunner,
      held: HeldOrderRow,
      decided: (result: TResult, decision?: Partial<LifecycleDecision>) => Promise<TResult>,
    ) => Promise<TResult>,
  ): Promise<TResult> {
    const { prepared } = attempt;
    const { heldOrderId } = prepared.request;
    return this.transactions.run(async (sql) => {
      const held = await lockHeldOrder(sql, heldOrderId);
      const decided = async (result: TResult, decision: Partial<LifecycleDecision> = {}) => {
        const audit = { outcome: auditOutcomeOf(result), relatedOrderId: held?.candidateOrderId, ...decision };
        await sql.query(lifecycleAuditSql(attempt, { channel: held?.channel, ...audit }));
        return result;
      };
      if (!held) return decided(new HeldOrderNotFound(heldOrderId) as TResult);
      const existing = await findChange(sql, prepared);
      if (existing) {
        const subject = (await heldSubjectOf(sql, existing.heldOrderId ?? held.id)) ?? {};
        const repeat = repeatOrReused(prepared, existing, subject, DetectionSource.DATABASE) as TResult;
        return decided(repeat, { orderId: subject.order?.id ?? null });
      }
      if (held.status !== 'HELD')
        return decided(new HeldOrderAlreadyResolved(held) as TResult, { orderId: held.orderId });
      return change(sql, held, decided);
    });
  }
}
