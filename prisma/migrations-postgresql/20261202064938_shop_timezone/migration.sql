-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "timezone" TEXT NOT NULL DEFAULT 'UTC';

