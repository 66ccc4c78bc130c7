-- DropIndex
DROP INDEX "HeldOrder_status_createdAt_idx";

-- AlterTable
ALTER TABLE "HeldOrder" ADD COLUMN     "heldAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- Backfill, added by hand. HeldOrder.heldAt was read from "updatedAt", which a release, dismissal
-- or settlement also set, so a resolved row no longer says when it was held. A still-held row's
-- "updatedAt" is its last hold; a resolved one keeps its first ("createdAt"): a hold again after a
-- dismissal, before the resolution, is lost with that "updatedAt".
UPDATE "HeldOrder" SET "heldAt" = CASE WHEN "status" = 'HELD' THEN "updatedAt" ELSE "createdAt" END;

-- CreateIndex
CREATE INDEX "HeldOrder_status_heldAt_idx" ON "HeldOrder"("status", "heldAt");
