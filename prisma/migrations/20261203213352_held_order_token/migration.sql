-- AlterTable
ALTER TABLE "HeldOrder" ADD COLUMN     "orderTokenId" CHAR(32);
