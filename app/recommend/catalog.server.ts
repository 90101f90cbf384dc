// The synced catalog as the recommender reads it (app/recommend/catalog.ts).
import prisma from "~/db.server";
import { groupBy } from "~/grouping";
import { SOLD } from "~/catalog/sold";
import type { CatalogProduct } from "~/recommend/catalog";

/** The synced active products (or one of them) with their variants' options, as the ladder detection reads them. */
export async function catalogProducts(shop: string, only?: string): Promise<CatalogProduct[]> {
  const [products, memberships, variants] = await Promise.all([
    prisma.product.findMany({ where: { shop, ...SOLD, id: only }, select: { id: true, title: true, productType: true } }),
    prisma.productCollection.findMany({ where: { shop, productId: only }, select: { productId: true, collectionId: true } }),
    prisma.variant.findMany({ where: { shop, productId: only }, select: { id: true, productId: true, priceMinor: true, options: true }, orderBy: { position: "asc" } }),
  ]);
  const variantsOf = groupBy(variants, (v) => v.productId, (v): CatalogProduct["variants"][number] => ({ id: v.id, price: v.priceMinor, options: JSON.parse(v.options) as { name: string; value: string }[] }));
  const collectionsOf = groupBy(memberships, (m) => m.productId, (m) => m.collectionId);
  return products.map((p) => ({ id: p.id, title: p.title, productType: p.productType, collections: collectionsOf.get(p.id) ?? [], variants: variantsOf.get(p.id) ?? [] }));
}

