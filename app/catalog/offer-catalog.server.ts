// The synced catalog, shaped for the offer engine (app/offers/catalog.ts).
import prisma from "~/db.server";
import { groupBy } from "~/grouping";
import { SOLD } from "./sold";
import { catalogOf, type CatalogProduct, type Learned, type OfferCatalog } from "~/offers/catalog";

/** The whole catalog, or just the products named. */
export async function loadOfferCatalog(shop: string, only?: string[], learned?: Learned): Promise<{ catalog: OfferCatalog; products: CatalogProduct[] }> {
  const ids = only ? { in: only } : undefined;
  const [products, variants, memberships, presentment] = await Promise.all([
    prisma.product.findMany({ where: { shop, ...SOLD, id: ids }, orderBy: { id: "asc" } }),
    prisma.variant.findMany({ where: { shop, productId: ids }, orderBy: [{ productId: "asc" }, { position: "asc" }] }),
    prisma.productCollection.findMany({ where: { shop, productId: ids } }),
    prisma.variantPrice.findMany({ where: { shop, productId: ids }, select: { variantId: true, currency: true, priceMinor: true } }),
  ]);
  const variantsOf = groupBy(variants, (v) => v.productId);
  // Prices in the shop's other currencies, as Shopify computed them for their markets.
  const pricesOf = groupBy(presentment, (p) => p.variantId);
  const collectionsOf = groupBy(memberships, (m) => m.productId);
  const shaped = products.map((p): CatalogProduct => ({
    id: p.id, title: p.title, handle: p.handle, vendor: p.vendor, productType: p.productType, tags: JSON.parse(p.tags) as string[], imageUrl: p.imageUrl,
    collectionIds: (collectionsOf.get(p.id) ?? []).map((m) => m.collectionId),
    variants: (variantsOf.get(p.id) ?? []).map((v) => ({
      id: v.id, productId: p.id, title: v.title, prices: { ...Object.fromEntries((pricesOf.get(v.id) ?? []).map((p) => [p.currency, p.priceMinor])), [v.currency]: v.priceMinor },
      // Shopify's own answer: stock, untracked inventory and "continue selling" included.
      available: v.availableForSale,
    })),
  }));
  return { catalog: catalogOf(shaped, learned), products: shaped };
}
