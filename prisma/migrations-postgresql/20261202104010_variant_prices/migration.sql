-- CreateTable
CREATE TABLE "VariantPrice" (
    "shop" TEXT NOT NULL,
    "variantId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "priceMinor" INTEGER NOT NULL,
    "compareAtMinor" INTEGER,

    CONSTRAINT "VariantPrice_pkey" PRIMARY KEY ("shop","variantId","currency")
);

-- CreateIndex
CREATE INDEX "VariantPrice_shop_productId_idx" ON "VariantPrice"("shop", "productId");

