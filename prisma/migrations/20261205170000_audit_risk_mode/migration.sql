-- AlterTable
ALTER TABLE "IdempotencyAuditEvent" ADD COLUMN     "riskMode" TEXT;
