-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "stockTaken" BOOLEAN NOT NULL DEFAULT true;

-- CreateIndex
CREATE INDEX "HeldOrder_orderId_idx" ON "HeldOrder"("orderId");

-- Added by hand: the history imported before this column, as far as it can be known (an imported
-- record without its own idempotency key was given `import:<channel>:<externalId>`).
UPDATE "Order" SET "stockTaken" = false WHERE "idempotencyKey" LIKE 'import:%';
