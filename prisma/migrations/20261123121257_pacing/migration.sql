-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ShopSettings" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "freeShippingThresholds" TEXT NOT NULL DEFAULT '{}',
    "holdoutBasisPoints" INTEGER NOT NULL DEFAULT 500,
    "storefrontLocales" TEXT NOT NULL DEFAULT '["en"]',
    "offersPerPage" INTEGER NOT NULL DEFAULT 2,
    "offersPerShopperPerDay" INTEGER NOT NULL DEFAULT 6,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_ShopSettings" ("freeShippingThresholds", "holdoutBasisPoints", "shop", "storefrontLocales", "updatedAt") SELECT "freeShippingThresholds", "holdoutBasisPoints", "shop", "storefrontLocales", "updatedAt" FROM "ShopSettings";
DROP TABLE "ShopSettings";
ALTER TABLE "new_ShopSettings" RENAME TO "ShopSettings";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

