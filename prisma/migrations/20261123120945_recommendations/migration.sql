-- CreateTable
CREATE TABLE "RecommendationModel" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "model" TEXT NOT NULL,
    "timings" TEXT NOT NULL DEFAULT '[]',
    "orders" INTEGER NOT NULL,
    "builtAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "latestOrderAt" DATETIME
);

