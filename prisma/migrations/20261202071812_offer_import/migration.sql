-- CreateTable
CREATE TABLE "OfferImport" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "file" TEXT,
    "total" INTEGER,
    "saved" INTEGER NOT NULL DEFAULT 0,
    "problems" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "OfferImport_shop_createdAt_idx" ON "OfferImport"("shop", "createdAt");

