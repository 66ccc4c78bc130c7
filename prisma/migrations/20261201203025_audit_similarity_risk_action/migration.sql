-- AlterTable
ALTER TABLE "IdempotencyAuditEvent" ADD COLUMN     "candidateAgeMs" DOUBLE PRECISION,
ADD COLUMN     "riskAction" TEXT,
ADD COLUMN     "similarity" DOUBLE PRECISION;
