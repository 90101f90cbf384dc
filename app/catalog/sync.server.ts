// Mirrors the shop's catalog (products, variants, collections) into our database: a full
// sync after install or on demand, with progress the admin can show, then products/*
// webhooks keep it current.
import prisma, { atomically, type Db } from "~/db.server";
import { adminQuery, type AdminGraphqlClient } from "~/shopify/admin-client.server";
import {
  COLLECTIONS_PAGE_QUERY, PRODUCTS_COUNT_QUERY, PRODUCTS_PAGE_QUERY, SHOP_QUERY,
} from "~/shopify/catalog.queries";
import { toMinorUnits } from "./money";
import { holdsLiveLease, type ClaimedJob } from "~/jobs/queue.server";
import { failureMessage } from "~/jobs/failures";
import { shopAdmin } from "~/shopify/shop-admin.server";
import { pricingContexts, syncVariantPrices } from "./prices.server";

export type SyncKind = "catalog" | "orders" | "offers" | "recommendations" | "windows" | "deals";

interface PageInfo { hasNextPage: boolean; endCursor: string | null }

/** A product as the mirror needs it, from either the GraphQL sync or a REST webhook. */
export interface ProductRecord {
  id: string;
  title: string;
  handle: string;
  status: string;
  vendor: string;
  productType: string;
  tags: string[];
  imageUrl: string | null;
  updatedAt: Date;
  variants: {
    id: string;
    title: string;
    sku: string;
    priceMinor: number;
    compareAtMinor: number | null;
    inventoryQuantity: number | null;
    availableForSale: boolean;
    options: { name: string; value: string }[];
    position: number;
  }[];
  collectionIds: string[] | null;
}

interface GqlProduct {
  id: string; title: string; handle: string; status: string; vendor: string; productType: string; tags: string[]; updatedAt: string;
  featuredMedia: { preview: { image: { url: string } | null } | null } | null;
  variants: { nodes: { id: string; title: string; sku: string | null; price: string; compareAtPrice: string | null; inventoryQuantity: number | null; availableForSale: boolean; position: number; selectedOptions: { name: string; value: string }[] }[] };
  collections: { nodes: { id: string }[] };
}

export function productFromGraphql(p: GqlProduct, currency: string): ProductRecord {
  return {
    id: p.id, title: p.title, handle: p.handle, status: p.status, vendor: p.vendor, productType: p.productType, tags: p.tags,
    imageUrl: p.featuredMedia?.preview?.image?.url ?? null, updatedAt: new Date(p.updatedAt),
    variants: p.variants.nodes.map((v) => ({
      id: v.id, title: v.title, sku: v.sku ?? "", priceMinor: toMinorUnits(v.price, currency),
      compareAtMinor: v.compareAtPrice ? toMinorUnits(v.compareAtPrice, currency) : null,
      inventoryQuantity: v.inventoryQuantity, availableForSale: v.availableForSale, options: v.selectedOptions, position: v.position,
    })),
    collectionIds: p.collections.nodes.map((c) => c.id),
  };
}

/** Writes that commit with a product's (a job the change calls for). */
type AlsoWrites = (db: Db) => Promise<unknown>;

/** Writes one product and its variants; a null collectionIds keeps the known memberships. */
export async function upsertProduct(shop: string, currency: string, p: ProductRecord, also?: AlsoWrites): Promise<void> {
  const data = {
    title: p.title, handle: p.handle, status: p.status, vendor: p.vendor, productType: p.productType,
    tags: JSON.stringify(p.tags), imageUrl: p.imageUrl, updatedAt: p.updatedAt, syncedAt: new Date(),
  };
  await atomically(async (db) => {
    await db.product.upsert({ where: { shop_id: { shop, id: p.id } }, create: { shop, id: p.id, ...data }, update: data });
    await db.variant.deleteMany({ where: { shop, productId: p.id, id: { notIn: p.variants.map((v) => v.id) } } });
    await db.variantPrice.deleteMany({ where: { shop, productId: p.id, variantId: { notIn: p.variants.map((v) => v.id) } } });
    for (const v of p.variants) {
      const variant = {
        productId: p.id, title: v.title, sku: v.sku, priceMinor: v.priceMinor, compareAtMinor: v.compareAtMinor, currency,
        inventoryQuantity: v.inventoryQuantity, availableForSale: v.availableForSale, options: JSON.stringify(v.options), position: v.position,
      };
      await db.variant.upsert({ where: { shop_id: { shop, id: v.id } }, create: { shop, id: v.id, ...variant }, update: variant });
    }
    if (p.collectionIds) {
      await db.productCollection.deleteMany({ where: { shop, productId: p.id } });
      await db.productCollection.createMany({ data: p.collectionIds.map((collectionId) => ({ shop, productId: p.id, collectionId })) });
    }
    await also?.(db);
  });
}

export async function deleteProduct(shop: string, productId: string, also?: AlsoWrites): Promise<void> {
  await atomically(async (db) => {
    await db.variant.deleteMany({ where: { shop, productId } });
    await db.variantPrice.deleteMany({ where: { shop, productId } });
    await db.productCollection.deleteMany({ where: { shop, productId } });
    await db.product.deleteMany({ where: { shop, id: productId } });
    await also?.(db);
  });
}

/**
 * How a run stands for the admin. "interrupted": recorded as running, but no worker holds its
 * job (the process died, or the job waits for a retry); its job's next attempt closes it and
 * starts afresh. A run is never shown running without a live lease.
 */
export type RunStatus = "running" | "interrupted" | "succeeded" | "failed";

export async function latestSyncRun(shop: string, kind: SyncKind) {
  const run = await prisma.syncRun.findFirst({ where: { shop, kind }, orderBy: { id: "desc" } });
  if (!run || run.status !== "running") return run && { ...run, status: run.status as RunStatus };
  const live = run.jobId !== null && (await holdsLiveLease(run.jobId));
  return { ...run, status: (live ? "running" : "interrupted") as RunStatus };
}

/**
 * Starts the run a job does, for the admin's progress. One job of a kind runs per shop at a
 * time (keyed jobs, app/jobs), so a run of this kind still marked running was cut off (its
 * worker died); it is closed as interrupted, and the job's new attempt starts afresh.
 */
export async function beginRun(shop: string, kind: SyncKind, jobId: string | null) {
  const now = new Date();
  await prisma.syncRun.updateMany({
    where: { shop, kind, status: "running" },
    data: { status: "failed", error: "Interrupted: the work is being done again.", finishedAt: now },
  });
  return prisma.syncRun.create({ data: { shop, kind, status: "running", jobId } });
}

/** Ends a run; with a transaction's `db`, together with what follows from it. */
export function finishRun(id: number, outcome: { error?: unknown; warning?: string | null }, db: Db = prisma) {
  const error = outcome.error === undefined ? null : failureMessage(outcome.error);
  if (error) console.error(`uplift: sync run ${id} failed: ${error}`);
  return db.syncRun.update({
    where: { id },
    data: { status: error ? "failed" : "succeeded", error, warning: outcome.warning ?? null, finishedAt: new Date() },
  });
}

/** The run's warning (a key under dashboard.warnings) when the shop has not approved `read_markets`. */
export const MARKETS_SCOPE_WARNING = "marketsScope";

export async function refreshShop(shop: string, admin: AdminGraphqlClient): Promise<{ currency: string; currencies: string[] }> {
  const { shop: info } = await adminQuery<{ shop: { name: string; currencyCode: string; enabledPresentmentCurrencies: string[]; ianaTimezone: string } }>(admin, SHOP_QUERY);
  const data = { name: info.name, currency: info.currencyCode, currencies: JSON.stringify(info.enabledPresentmentCurrencies), timezone: info.ianaTimezone, uninstalledAt: null };
  await prisma.shop.upsert({ where: { domain: shop }, create: { domain: shop, ...data }, update: data });
  return { currency: info.currencyCode, currencies: info.enabledPresentmentCurrencies };
}

/**
 * A whole catalog sync, as the `catalog.sync` job does it: products are upserted, so an
 * attempt cut off half way is simply done again.
 */
export async function runCatalogSync(shop: string, admin: AdminGraphqlClient, jobId: string | null = null): Promise<{ runId: number }> {
  const run = await beginRun(shop, "catalog", jobId);
  try {
    const { currency, currencies } = await refreshShop(shop, admin);
    const { productsCount } = await adminQuery<{ productsCount: { count: number } }>(admin, PRODUCTS_COUNT_QUERY);
    await prisma.syncRun.update({ where: { id: run.id }, data: { total: productsCount.count } });

    let after: string | null = null;
    const collectionIds: string[] = [];
    do {
      const page: { collections: { pageInfo: PageInfo; nodes: { id: string; title: string; handle: string }[] } } =
        await adminQuery(admin, COLLECTIONS_PAGE_QUERY, { after });
      for (const c of page.collections.nodes) {
        const data = { title: c.title, handle: c.handle };
        await prisma.collection.upsert({ where: { shop_id: { shop, id: c.id } }, create: { shop, id: c.id, ...data }, update: data });
        collectionIds.push(c.id);
      }
      after = page.collections.pageInfo.hasNextPage ? page.collections.pageInfo.endCursor : null;
    } while (after);
    await prisma.collection.deleteMany({ where: { shop, id: { notIn: collectionIds } } });

    const seen: string[] = [];
    after = null;
    do {
      const page: { products: { pageInfo: PageInfo; nodes: GqlProduct[] } } = await adminQuery(admin, PRODUCTS_PAGE_QUERY, { after });
      for (const node of page.products.nodes) {
        await upsertProduct(shop, currency, productFromGraphql(node, currency));
        seen.push(node.id);
      }
      await prisma.syncRun.update({ where: { id: run.id }, data: { done: seen.length, cursor: page.products.pageInfo.endCursor } });
      after = page.products.pageInfo.hasNextPage ? page.products.pageInfo.endCursor : null;
    } while (after);

    // Products deleted in Shopify while we were not listening.
    const gone = await prisma.product.findMany({ where: { shop, id: { notIn: seen } }, select: { id: true } });
    for (const { id } of gone) await deleteProduct(shop, id);
    // Then every variant's price in the shop's other currencies, as Shopify prices them there.
    const contexts = await pricingContexts(admin, currency, currencies);
    await syncVariantPrices(shop, admin, contexts ?? []);
    await finishRun(run.id, { warning: contexts ? null : MARKETS_SCOPE_WARNING });
  } catch (error) {
    // The job records the failure (and the run with it) and retries what is transient.
    await finishRun(run.id, { error });
    throw error;
  }
  return { runId: run.id };
}

export async function catalogSyncJob(job: ClaimedJob): Promise<void> {
  await runCatalogSync(job.shop, await shopAdmin(job.shop), job.id);
}
