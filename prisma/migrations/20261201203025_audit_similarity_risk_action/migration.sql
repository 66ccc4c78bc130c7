-- AlterTable
ALTER TABLE "IdempotencyAuditEvent" ADD COLUMN     "riskAction" TEXT,
ADD COLUMN     "similarity" DOUBLE PRECISION;
