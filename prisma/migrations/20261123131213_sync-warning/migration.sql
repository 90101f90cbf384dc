-- AlterTable
ALTER TABLE "SyncRun" ADD COLUMN "warning" TEXT;

