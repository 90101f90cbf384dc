-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_RecommendationModel" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "model" TEXT NOT NULL,
    "timings" TEXT NOT NULL DEFAULT '[]',
    "upgrades" TEXT NOT NULL DEFAULT '[]',
    "orders" INTEGER NOT NULL,
    "builtAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "latestOrderAt" DATETIME
);
INSERT INTO "new_RecommendationModel" ("builtAt", "latestOrderAt", "model", "orders", "shop", "timings", "updatedAt") SELECT "builtAt", "latestOrderAt", "model", "orders", "shop", "timings", "updatedAt" FROM "RecommendationModel";
DROP TABLE "RecommendationModel";
ALTER TABLE "new_RecommendationModel" RENAME TO "RecommendationModel";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

