-- AlterTable
ALTER TABLE "HeldOrder" ADD COLUMN     "confirmationKey" TEXT;
