-- AlterTable
ALTER TABLE "AppliedChange" ADD COLUMN     "heldOrderId" UUID;

-- CreateTable
CREATE TABLE "HeldOrder" (
    "id" UUID NOT NULL,
    "customerId" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "fingerprint" CHAR(64) NOT NULL,
    "channel" "SalesChannel" NOT NULL,
    "source" TEXT NOT NULL DEFAULT '',
    "externalId" TEXT,
    "request" JSONB NOT NULL,
    "candidateOrderId" UUID NOT NULL,
    "similarity" DOUBLE PRECISION NOT NULL,
    "reasons" TEXT[],
    "status" TEXT NOT NULL DEFAULT 'HELD',
    "orderId" UUID,
    "resolvedBy" TEXT,
    "resolvedAt" TIMESTAMPTZ(3),
    "dismissReason" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HeldOrder_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "HeldOrder_status_createdAt_idx" ON "HeldOrder"("status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "HeldOrder_customerId_idempotencyKey_key" ON "HeldOrder"("customerId", "idempotencyKey");

-- Added by hand: the four states a held order can be in (src/orders/held/held-order.ts).
ALTER TABLE "HeldOrder" ADD CONSTRAINT "HeldOrder_status_known" CHECK ("status" IN ('HELD', 'RELEASED', 'DISMISSED', 'PLACED'));
