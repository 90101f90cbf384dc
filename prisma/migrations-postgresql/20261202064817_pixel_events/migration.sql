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
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PixelEvent_pkey" PRIMARY KEY ("shop","eventId")
);

-- CreateIndex
CREATE INDEX "PixelEvent_shop_name_occurredAt_idx" ON "PixelEvent"("shop", "name", "occurredAt");

-- CreateIndex
CREATE INDEX "PixelEvent_shop_offerId_occurredAt_idx" ON "PixelEvent"("shop", "offerId", "occurredAt");

