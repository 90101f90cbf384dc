-- CreateTable
CREATE TABLE "OfferImport" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "file" TEXT,
    "total" INTEGER,
    "saved" INTEGER NOT NULL DEFAULT 0,
    "problems" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "OfferImport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "OfferImport_shop_createdAt_idx" ON "OfferImport"("shop", "createdAt");

