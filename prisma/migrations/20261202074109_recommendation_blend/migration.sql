-- AlterTable
ALTER TABLE "RecommendationModel" ADD COLUMN "blend" TEXT;

