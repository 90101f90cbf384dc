-- AlterTable
ALTER TABLE "RecommendationModel" ADD COLUMN     "upgrades" TEXT NOT NULL DEFAULT '[]';

