-- CreateTable
CREATE TABLE "OrderChangeNoticeKeep" (
    "keepMs" BIGINT NOT NULL,
    "seenAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "OrderChangeNoticeKeep_pkey" PRIMARY KEY ("keepMs")
);
