-- AlterTable
ALTER TABLE "IdempotencyAuditEvent" ADD COLUMN     "operation" TEXT;

-- CreateTable
CREATE TABLE "AppliedChange" (
    "id" UUID NOT NULL,
    "operation" TEXT NOT NULL,
    "actorId" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "fingerprint" CHAR(64) NOT NULL,
    "orderId" UUID,
    "productId" UUID,
    "amountCents" INTEGER,
    "quantityDelta" INTEGER,
    "stockAfter" INTEGER,
    "reason" TEXT,
    "details" JSONB,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AppliedChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AppliedChange_orderId_operation_idx" ON "AppliedChange"("orderId", "operation");

-- CreateIndex
CREATE UNIQUE INDEX "AppliedChange_actorId_operation_idempotencyKey_key" ON "AppliedChange"("actorId", "operation", "idempotencyKey");

-- Added by hand: a refund moves money one way (the service checks it too).
ALTER TABLE "AppliedChange" ADD CONSTRAINT "AppliedChange_amountCents_positive" CHECK ("amountCents" IS NULL OR "amountCents" > 0);
