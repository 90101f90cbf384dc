-- CreateTable
CREATE TABLE "Offer" (
    "shop" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "priority" INTEGER NOT NULL,
    "startsAt" DATETIME,
    "endsAt" DATETIME,
    "definition" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "id")
);

-- CreateTable
CREATE TABLE "OfferMetafield" (
    "shop" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "syncedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("shop", "productId")
);

-- CreateIndex
CREATE INDEX "Offer_shop_kind_status_idx" ON "Offer"("shop", "kind", "status");

