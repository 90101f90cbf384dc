-- CreateTable
CREATE TABLE "Offer" (
    "shop" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "priority" INTEGER NOT NULL,
    "startsAt" TIMESTAMP(3),
    "endsAt" TIMESTAMP(3),
    "definition" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Offer_pkey" PRIMARY KEY ("shop","id")
);

-- CreateTable
CREATE TABLE "OfferMetafield" (
    "shop" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "syncedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OfferMetafield_pkey" PRIMARY KEY ("shop","productId")
);

-- CreateIndex
CREATE INDEX "Offer_shop_kind_status_idx" ON "Offer"("shop", "kind", "status");

