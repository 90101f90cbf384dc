-- AlterTable
ALTER TABLE "ShopSettings" ADD COLUMN     "offersPerPage" INTEGER NOT NULL DEFAULT 2,
ADD COLUMN     "offersPerShopperPerDay" INTEGER NOT NULL DEFAULT 6;

