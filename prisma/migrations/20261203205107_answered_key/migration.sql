-- CreateTable
CREATE TABLE "AnsweredKey" (
    "customerId" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "fingerprint" CHAR(64) NOT NULL,
    "orderId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AnsweredKey_pkey" PRIMARY KEY ("customerId","idempotencyKey")
);
