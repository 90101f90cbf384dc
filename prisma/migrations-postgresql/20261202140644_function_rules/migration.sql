-- CreateTable
CREATE TABLE "BundleParent" (
    "shop" TEXT NOT NULL,
    "offerId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "variantId" TEXT NOT NULL,
    "digest" TEXT NOT NULL,

    CONSTRAINT "BundleParent_pkey" PRIMARY KEY ("shop","offerId")
);

-- CreateTable
CREATE TABLE "ShopFunctions" (
    "shop" TEXT NOT NULL,
    "cartTransformId" TEXT,
    "discountId" TEXT,
    "nextChangeAt" TIMESTAMP(3),

    CONSTRAINT "ShopFunctions_pkey" PRIMARY KEY ("shop")
);

