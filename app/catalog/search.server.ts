// Searches the synced catalog for the offer editor's pickers.
import prisma from "~/db.server";
import type { CatalogProduct } from "~/offers/catalog";
import { loadOfferCatalog } from "./offer-catalog.server";

const LIMIT = 20;

export type CatalogSearchResult =
  | { type: "products"; products: CatalogProduct[] }
  | { type: "collections"; collections: { id: string; title: string }[] };

export async function searchCatalog(shop: string, type: "products" | "collections", query: string): Promise<CatalogSearchResult> {
  const q = query.trim();
  if (type === "collections") {
    const collections = await prisma.collection.findMany({ where: { shop, ...(q ? { title: { contains: q } } : {}) }, orderBy: { title: "asc" }, take: LIMIT, select: { id: true, title: true } });
    return { type, collections };
  }
  const rows = await prisma.product.findMany({
    where: { shop, status: "ACTIVE", ...(q ? { OR: [{ title: { contains: q } }, { handle: { contains: q } }] } : {}) },
    orderBy: { title: "asc" }, take: LIMIT, select: { id: true },
  });
  const { products } = await loadOfferCatalog(shop, rows.map((r) => r.id));
  const order = new Map(rows.map((r, i) => [r.id, i]));
  return { type, products: products.sort((a, b) => order.get(a.id)! - order.get(b.id)!) };
}
