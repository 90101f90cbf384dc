// The `recommend.publish` job: after a rebuild, the recommendation windows go where the
// storefront block reads them, with no request at page load: each product's "bought
// together" and "similar" in its app-owned `$app:uplift` metafields, the shop's "best
// sellers" and "on offer" in app-data metafields (`app.metafields.uplift`). Only what
// changed is written (see storefront-metafields.server.ts).
import prisma from "~/db.server";
import { SOLD } from "~/catalog/sold";
import { groupBy } from "~/grouping";
import { beginRun, finishRun } from "~/catalog/sync.server";
import { type ClaimedJob } from "~/jobs/queue.server";
import { shopAdmin } from "~/shopify/shop-admin.server";
import type { AdminGraphqlClient } from "~/shopify/admin-client.server";
import { appInstallationId, syncStorefrontMetafields, type MetafieldWrite } from "~/shopify/storefront-metafields.server";
import { loadRecommendations } from "./learned.server";
import { PRODUCT_WINDOWS, SHOP_WINDOWS, storefrontWindows, type WindowProduct } from "./windows";

/** App-owned on products (only Uplift can write it); Liquid: `product.metafields['$app:uplift'].together`. */
export const PRODUCT_NAMESPACE = "$app:uplift";
/** App-data on the app installation; Liquid: `app.metafields.uplift.best_sellers`. */
export const APP_DATA_NAMESPACE = "uplift";

const isShopWindow = (key: string) => (SHOP_WINDOWS as readonly string[]).includes(key);

/** The synced active products, with whether each can be bought and is on sale. */
async function windowCatalog(shop: string): Promise<WindowProduct[]> {
  const [products, variants, memberships] = await Promise.all([
    prisma.product.findMany({ where: { shop, ...SOLD }, select: { id: true, title: true, productType: true, tags: true }, orderBy: { id: "asc" } }),
    prisma.variant.findMany({ where: { shop }, select: { id: true, productId: true, priceMinor: true, compareAtMinor: true, availableForSale: true }, orderBy: [{ productId: "asc" }, { position: "asc" }] }),
    prisma.productCollection.findMany({ where: { shop }, select: { productId: true, collectionId: true } }),
  ]);
  const variantsOf = groupBy(variants, (v) => v.productId);
  const collectionsOf = groupBy(memberships, (m) => m.productId, (m) => m.collectionId);
  return products.map((p) => {
    const own = variantsOf.get(p.id) ?? [];
    return {
      id: p.id, title: p.title, productType: p.productType, tags: JSON.parse(p.tags) as string[], collections: collectionsOf.get(p.id) ?? [],
      variants: own.map((v) => ({ id: v.id, price: v.priceMinor, options: [] })),
      available: own.some((v) => v.availableForSale),
      onSale: own.some((v) => v.availableForSale && v.compareAtMinor !== null && v.compareAtMinor > v.priceMinor),
    };
  });
}

export async function publishWindows(shop: string, admin: AdminGraphqlClient, jobId: string | null = null): Promise<{ written: number; deleted: number }> {
  const run = await beginRun(shop, "windows", jobId);
  try {
    const [learned, catalog] = await Promise.all([loadRecommendations(shop), windowCatalog(shop)]);
    const windows = storefrontWindows(learned?.model ?? null, catalog);
    const installation = await appInstallationId(admin);
    const list = (ownerId: string, namespace: string, key: string, ids: string[]): MetafieldWrite => ({ ownerId, namespace, key, type: "list.product_reference", value: JSON.stringify(ids) });
    const wanted: MetafieldWrite[] = [];
    for (const [productId, own] of windows.products) {
      for (const key of PRODUCT_WINDOWS) if (own[key]?.length) wanted.push(list(productId, PRODUCT_NAMESPACE, key, own[key]));
    }
    for (const key of SHOP_WINDOWS) if (windows.shop[key].length) wanted.push(list(installation, APP_DATA_NAMESPACE, key, windows.shop[key]));
    const result = await syncStorefrontMetafields(shop, admin, { keys: [...PRODUCT_WINDOWS, ...SHOP_WINDOWS], namespace: (key) => (isShopWindow(key) ? APP_DATA_NAMESPACE : PRODUCT_NAMESPACE) }, wanted);
    await prisma.syncRun.update({ where: { id: run.id }, data: { total: wanted.length, done: wanted.length } });
    await finishRun(run.id, {});
    return result;
  } catch (error) {
    await finishRun(run.id, { error });
    throw error;
  }
}

export async function publishJob(job: ClaimedJob): Promise<void> {
  await publishWindows(job.shop, await shopAdmin(job.shop), job.id);
}

