import { Prisma } from '../../db/prisma';
import type { SqlRunner } from '../../db/sql-runner';
import type { AppliedChange } from './applied-change';
import { refundOf } from './refund-record';
import type { Refund } from './results/refund.type';

/**
 * Reading refunds: an order's refunds are its refundOrder rows of AppliedChange (each refund its own
 * record). Callers pass orders someone may already read (Order.refunds resolves for an order its
 * caller was given), so nothing here is scoped to a customer.
 */
export class OrderRefundService {
  constructor(
    /** Where request-path reads go (Database.reads: the pg pool with servers). */
    private readonly reads: SqlRunner,
  ) {}

  /** The refunds of many orders in one statement (the (orderId, operation) index), oldest first. */
  async refundsOfOrders(orderIds: readonly string[]): Promise<Refund[]> {
    const changes = await this.reads.query<AppliedChange>(Prisma.sql`
      SELECT "id", "orderId", "amountCents", "details", "createdAt" FROM "AppliedChange"
      WHERE "orderId" = ANY(${[...orderIds]}::uuid[]) AND "operation" = 'refundOrder'
      ORDER BY "createdAt", "id"`);
    return changes.map(refundOf);
  }
}
