-- CreateTable
CREATE TABLE "BundleParent" (
    "shop" TEXT NOT NULL,
    "offerId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "variantId" TEXT NOT NULL,
    "digest" TEXT NOT NULL,

    PRIMARY KEY ("shop", "offerId")
);

-- CreateTable
CREATE TABLE "ShopFunctions" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "cartTransformId" TEXT,
    "discountId" TEXT,
    "nextChangeAt" DATETIME
);

