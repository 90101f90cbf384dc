// products/* webhooks carry REST JSON; this maps it onto the catalog mirror.
import prisma, { type Db } from "~/db.server";
import { enqueueJob } from "~/jobs/queue.server";
import { toMinorUnits } from "./money";
import { deleteProduct, upsertProduct, type ProductRecord } from "./sync.server";
import { pricingContexts, productPrices, writeProductPrices, type VariantPriceRow } from "./prices.server";
import type { AdminGraphqlClient } from "~/shopify/admin-client.server";
import { shopAdmin } from "~/shopify/shop-admin.server";

interface RestVariant { id: number; title: string; sku: string | null; price: string; compare_at_price: string | null; inventory_quantity?: number; position: number; option1?: string | null }
interface RestProduct { id: number; title: string; handle: string; status: string; vendor: string; product_type: string; tags: string; updated_at: string; variants?: RestVariant[]; options?: { name: string }[]; image?: { src: string } | null }

export function productFromRest(p: RestProduct, currency: string): ProductRecord {
  const optionName = p.options?.[0]?.name ?? "Title";
  return {
    id: `gid://shopify/Product/${p.id}`, title: p.title, handle: p.handle, status: p.status.toUpperCase(), vendor: p.vendor,
    productType: p.product_type, tags: p.tags ? p.tags.split(",").map((t) => t.trim()).filter(Boolean) : [],
    imageUrl: p.image?.src ?? null, updatedAt: new Date(p.updated_at),
    variants: (p.variants ?? []).map((v) => ({
      id: `gid://shopify/ProductVariant/${v.id}`, title: v.title, sku: v.sku ?? "", priceMinor: toMinorUnits(v.price, currency),
      compareAtMinor: v.compare_at_price ? toMinorUnits(v.compare_at_price, currency) : null,
      inventoryQuantity: v.inventory_quantity ?? null, availableForSale: (v.inventory_quantity ?? 1) > 0,
      options: v.option1 ? [{ name: optionName, value: v.option1 }] : [], position: v.position,
    })),
    collectionIds: null,
  };
}

/**
 * Mirrors a products/* delivery. A new price or a sold-out variant changes what offers show,
 * so when the shop has offers their sync is enqueued in the same transaction (keyed: a bulk
 * edit of a hundred products makes one sync). The payload has prices in the shop's currency
 * only: those in its other currencies are asked of Shopify (`contextualPricing`) first, and
 * written with the product, so the offers' sync never sees a new price beside an old one.
 */
export async function applyProductWebhook(shop: string, topic: string, payload: unknown, admin: () => Promise<AdminGraphqlClient> = () => shopAdmin(shop)): Promise<void> {
  const product = payload as RestProduct;
  const id = `gid://shopify/Product/${product.id}`;
  const sync = (await prisma.offer.count({ where: { shop } })) ? (db: Db) => enqueueJob(shop, "offers.sync", {}, {}, db) : undefined;
  if (topic.toLowerCase().includes("delete")) return deleteProduct(shop, id, sync);
  const known = await prisma.product.findUnique({ where: { shop_id: { shop, id } }, select: { updatedAt: true } });
  if (known && known.updatedAt > new Date(product.updated_at)) return; // an older delivery, arriving late
  const owner = await prisma.shop.findUnique({ where: { domain: shop }, select: { currency: true, currencies: true } });
  const currency = owner?.currency ?? "USD";
  const record = productFromRest(product, currency);
  const others = (JSON.parse(owner?.currencies ?? "[]") as string[]).filter((c) => c !== currency);
  let prices: VariantPriceRow[] | null = null;
  if (others.length && (await pricesChanged(shop, record, others.length))) {
    const client = await admin();
    prices = await productPrices(client, id, (await pricingContexts(client, currency, others)) ?? []);
  }
  await upsertProduct(shop, currency, record, async (db) => {
    if (prices) await writeProductPrices(db, shop, id, prices);
    await sync?.(db);
  });
}

/**
 * Whether the product's presentment prices must be asked of Shopify again: a variant's price
 * or compare-at price in the shop's currency changed, or a variant is new or lacks a price in
 * some currency. Most deliveries (a title, a tag, stock) change no price, and asking Shopify for
 * every one would spend the shop's API budget in a bulk edit; exchange rates and rounding are
 * picked up by the catalog sync.
 */
async function pricesChanged(shop: string, record: ProductRecord, currencies: number): Promise<boolean> {
  const ids = record.variants.map((v) => v.id);
  const [known, stored] = await Promise.all([
    prisma.variant.findMany({ where: { shop, id: { in: ids } }, select: { id: true, priceMinor: true, compareAtMinor: true } }),
    prisma.variantPrice.count({ where: { shop, variantId: { in: ids } } }),
  ]);
  const before = new Map(known.map((v) => [v.id, v]));
  const changed = record.variants.some((v) => before.get(v.id)?.priceMinor !== v.priceMinor || before.get(v.id)?.compareAtMinor !== v.compareAtMinor);
  return changed || stored < ids.length * currencies;
}
