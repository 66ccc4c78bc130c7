-- DropIndex
DROP INDEX "Order_channel_externalId_key";

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "source" TEXT NOT NULL DEFAULT '';

-- CreateIndex
CREATE UNIQUE INDEX "Order_channel_source_externalId_key" ON "Order"("channel", "source", "externalId");
