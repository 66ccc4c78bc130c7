-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "orderTokenId" CHAR(32);

-- CreateIndex
CREATE UNIQUE INDEX "Order_orderTokenId_key" ON "Order"("orderTokenId");
