-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "externalId" TEXT,
ADD COLUMN     "mergedIntoId" UUID,
ADD COLUMN     "possibleDuplicateOfId" UUID,
ADD COLUMN     "semanticFingerprint" CHAR(64),
ADD COLUMN     "shippingAddress" JSONB;

-- CreateIndex
CREATE INDEX "Order_customerId_semanticFingerprint_createdAt_idx" ON "Order"("customerId", "semanticFingerprint", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "Order_customerId_createdAt_id_idx" ON "Order"("customerId", "createdAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Order_channel_externalId_key" ON "Order"("channel", "externalId");
