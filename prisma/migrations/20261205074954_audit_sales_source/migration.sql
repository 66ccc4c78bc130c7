-- AlterTable
ALTER TABLE "IdempotencyAuditEvent" ADD COLUMN     "salesSource" TEXT;
