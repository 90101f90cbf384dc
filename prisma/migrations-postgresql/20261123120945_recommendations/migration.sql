-- CreateTable
CREATE TABLE "RecommendationModel" (
    "shop" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "timings" TEXT NOT NULL DEFAULT '[]',
    "orders" INTEGER NOT NULL,
    "builtAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "latestOrderAt" TIMESTAMP(3),

    CONSTRAINT "RecommendationModel_pkey" PRIMARY KEY ("shop")
);

