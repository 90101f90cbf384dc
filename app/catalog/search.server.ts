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
    const all = await prisma.collection.findMany({ where: { shop }, orderBy: { title: "asc" }, select: { id: true, title: true } });
    // Shops have tens of collections, not thousands: filtering here keeps case rules identical.
    const collections = all.filter((c) => c.title.toLowerCase().includes(q.toLowerCase())).slice(0, LIMIT);
    return { type, collections };
  }
  // LOWER() and LIKE mean the same on SQLite and PostgreSQL, so the search ignores case on
  // both (Prisma's `contains` does on SQLite only).
  const pattern = `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    SELECT id FROM "Product"
    WHERE shop = ${shop} AND status = 'ACTIVE' AND (LOWER(title) LIKE ${pattern} ESCAPE '\\' OR LOWER(handle) LIKE ${pattern} ESCAPE '\\')
    ORDER BY LOWER(title), id LIMIT ${LIMIT}`;
  const { products } = await loadOfferCatalog(shop, rows.map((r) => r.id));
  const order = new Map(rows.map((r, i) => [r.id, i]));
  return { type, products: products.sort((a, b) => order.get(a.id)! - order.get(b.id)!) };
}

/** The products the admin's resource picker handed back, as the editor knows products. */
export async function catalogProducts(shop: string, ids: string[]): Promise<CatalogSearchResult> {
  const { products } = await loadOfferCatalog(shop, ids.slice(0, LIMIT));
  const order = new Map(ids.map((id, i) => [id, i]));
  return { type: "products", products: products.sort((a, b) => order.get(a.id)! - order.get(b.id)!) };
}
