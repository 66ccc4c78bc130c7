import type { Product } from '../../catalog/product.type';
import { MAX_INT4 } from '../../db/int-range';
import { Prisma } from '../../db/prisma';
import type { Transactions } from '../../db/transactions';
import type { GuardedAttempt } from 'graphql-idempotency';
import { DetectionSource } from '../results/detection-source.type';
import { keyReused } from './key-reused';
import { findChange, insertChange, lifecycleAuditSql } from './applied-change';
import type { PreparedChange } from './applied-change';
import { auditOutcomeOf, repeatOrReused } from './change-answers';
import { InventoryAdjusted } from './results/inventory-adjusted.type';
import type { AdjustInventoryResult } from './results/lifecycle-results.union';
import { ProductNotFound } from './results/product-not-found.type';
import { StockWouldGoNegative } from './results/stock-would-go-negative.type';
import { ValidationFailed } from '../results/validation-failed.type';

/** What adjustInventory asks for, as its policy parsed it (the SKU normalised). */
export type AdjustmentRequest = { sku: string; delta: number; reason: string };

/**
 * adjustInventory: one transaction that locks the product row, asks the unique (actor, operation,
 * key) index, and moves the stock by the delta at most once; the CHECK (stock >= 0) stands behind
 * the StockWouldGoNegative answer.
 */
export class InventoryAdjustmentService {
  constructor(private readonly transactions: Transactions) {}

  adjust(attempt: GuardedAttempt<PreparedChange<AdjustmentRequest>>): Promise<AdjustInventoryResult> {
    const { prepared } = attempt;
    const { sku, delta, reason } = prepared.request;
    return this.transactions.run(async (sql) => {
      const decide = async (result: AdjustInventoryResult) => {
        const outcome = auditOutcomeOf(result);
        await sql.query(lifecycleAuditSql(attempt, { outcome }));
        return result;
      };
      const [product] = await sql.query<Product>(Prisma.sql`
        SELECT "id", "sku", "name", "priceCents", "currency", "stock" FROM "Product" WHERE "sku" = ${sku} FOR UPDATE`);
      if (!product) return decide(new ProductNotFound(sku));
      const existing = await findChange(sql, prepared);
      if (existing)
        return decide(
          repeatOrReused(prepared, existing, { product }, DetectionSource.DATABASE) as AdjustInventoryResult,
        );
      if (product.stock + delta < 0) return decide(new StockWouldGoNegative(sku, product.stock, delta));
      const stockAfter = product.stock + delta;
      if (stockAfter > MAX_INT4)
        return decide(
          new ValidationFailed('delta', `The stock would be ${stockAfter}: a product holds at most ${MAX_INT4}.`),
        );
      const change = await insertChange(sql, prepared, {
        productId: product.id,
        quantityDelta: delta,
        stockAfter,
        reason,
      });
      if (!change) return decide(keyReused(prepared));
      await sql.query(Prisma.sql`
        UPDATE "Product" SET "stock" = ${stockAfter}, "updatedAt" = now() WHERE "id" = ${product.id}::uuid`);
      return decide(new InventoryAdjusted({ ...product, stock: stockAfter }, change, null));
    });
  }
}
