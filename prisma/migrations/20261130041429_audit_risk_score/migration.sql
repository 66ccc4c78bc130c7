-- AlterTable
ALTER TABLE "IdempotencyAuditEvent" ADD COLUMN     "riskModelVersion" TEXT,
ADD COLUMN     "riskScore" DOUBLE PRECISION;
