-- AlterTable
ALTER TABLE "IdempotencyAuditEvent" ADD COLUMN     "candidateEquivalent" BOOLEAN;
