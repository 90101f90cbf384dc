-- CreateTable
CREATE TABLE "PixelEvent" (
    "shop" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "visitorId" TEXT NOT NULL,
    "offerId" TEXT,
    "version" TEXT,
    "arm" TEXT,
    "productId" TEXT,
    "variantId" TEXT,
    "quantity" INTEGER,
    "amountMinor" INTEGER,
    "currency" TEXT,
    "orderId" TEXT,
    "occurredAt" DATETIME NOT NULL,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("shop", "eventId")
);

-- CreateIndex
CREATE INDEX "PixelEvent_shop_name_occurredAt_idx" ON "PixelEvent"("shop", "name", "occurredAt");

-- CreateIndex
CREATE INDEX "PixelEvent_shop_offerId_occurredAt_idx" ON "PixelEvent"("shop", "offerId", "occurredAt");

