-- AlterTable
ALTER TABLE "Order" ADD COLUMN "updatedAt" DATETIME;

