-- CreateTable
CREATE TABLE "OrderChangeNotice" (
    "id" BIGSERIAL NOT NULL,
    "orderId" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OrderChangeNotice_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "OrderChangeNotice_at_id_idx" ON "OrderChangeNotice"("at", "id");
