// The deal-of-the-day schedule: its rows (the Deal table, written here only), the admin
// page's data, and the `deals.sync` job that writes what the storefront block reads to the
// app-data metafield `app.metafields.uplift.deals`.
import prisma, { atomically } from "~/db.server";
import { SOLD } from "~/catalog/sold";
import { beginRun, finishRun } from "~/catalog/sync.server";
import { enqueueJob, type ClaimedJob } from "~/jobs/queue.server";
import { parseMoneyText } from "~/catalog/money";
import type { AdminGraphqlClient } from "~/shopify/admin-client.server";
import { shopAdmin } from "~/shopify/shop-admin.server";
import { appInstallationId, syncStorefrontMetafields } from "~/shopify/storefront-metafields.server";
import { checkDeal, dayIn, isTimeZone, storefrontDeals, type Deal, type DealErrors, type DealVariant } from "./schedule";

export const DEALS_NAMESPACE = "uplift";
export const DEALS_KEY = "deals";

/** The shop's time zone and currency, as last mirrored from Shopify. */
async function shopClock(shop: string): Promise<{ timeZone: string; currency: string }> {
  const row = await prisma.shop.findUnique({ where: { domain: shop }, select: { timezone: true, currency: true } });
  return { timeZone: row && isTimeZone(row.timezone) ? row.timezone : "UTC", currency: row?.currency ?? "USD" };
}

async function dealVariants(shop: string, ids: string[]): Promise<Map<string, DealVariant & { title: string; variantTitle: string }>> {
  const variants = await prisma.variant.findMany({ where: { shop, id: { in: ids } } });
  const products = await prisma.product.findMany({ where: { shop, ...SOLD, id: { in: [...new Set(variants.map((v) => v.productId))] } } });
  const byId = new Map(products.map((p) => [p.id, p]));
  return new Map(variants.flatMap((v) => {
    const p = byId.get(v.productId);
    return p ? [[v.id, { productId: p.id, handle: p.handle, price: v.priceMinor, available: v.availableForSale, title: p.title, variantTitle: v.title }] as const] : [];
  }));
}

/** The admin page: today in the shop's time zone, and the schedule from today on. */
export async function dealsPage(shop: string, now = Date.now()) {
  const { timeZone, currency } = await shopClock(shop);
  const today = dayIn(timeZone, now);
  const deals = await prisma.deal.findMany({ where: { shop, day: { gte: today } }, orderBy: { day: "asc" } });
  const variants = await dealVariants(shop, deals.map((d) => d.variantId));
  return {
    timeZone, currency, today,
    deals: deals.map((d) => {
      const v = variants.get(d.variantId);
      return { day: d.day, price: d.priceMinor, product: v ? (v.variantTitle === "Default Title" ? v.title : `${v.title} – ${v.variantTitle}`) : null, regular: v?.price ?? null };
    }),
  };
}

/** Schedules (or replaces) a day's deal from the admin's form; the sync is enqueued with it. */
export async function saveDeal(shop: string, form: FormData, now = Date.now()): Promise<{ ok: true } | { ok: false; errors: DealErrors }> {
  const { timeZone, currency } = await shopClock(shop);
  const variantId = String(form.get("variantId") ?? "");
  const variant = variantId ? (await dealVariants(shop, [variantId])).get(variantId) : undefined;
  const checked = checkDeal({ day: String(form.get("day") ?? ""), variantId, price: parseMoneyText(String(form.get("price") ?? ""), currency) }, variant, dayIn(timeZone, now));
  if (!checked.ok) return checked;
  const { day, productId, price } = checked.deal;
  await atomically(async (db) => {
    await db.deal.upsert({ where: { shop_day: { shop, day } }, create: { shop, day, productId, variantId, priceMinor: price }, update: { productId, variantId, priceMinor: price } });
    await enqueueJob(shop, "deals.sync", {}, {}, db);
  });
  return { ok: true };
}

export async function deleteDeal(shop: string, day: string): Promise<void> {
  await atomically(async (db) => {
    await db.deal.deleteMany({ where: { shop, day } });
    await enqueueJob(shop, "deals.sync", {}, {}, db);
  });
}

/**
 * Writes today's and the coming days' deals to the app-data metafield. The storefront picks
 * the current one by the clock; a daily run (enqueued for the next midnight) moves the window
 * on and drops the days gone.
 */
export async function runDealsSync(shop: string, admin: AdminGraphqlClient, jobId: string | null = null, now = Date.now()): Promise<{ written: number; deleted: number }> {
  const run = await beginRun(shop, "deals", jobId);
  try {
    const { timeZone, currency } = await shopClock(shop);
    const rows = await prisma.deal.findMany({ where: { shop, day: { gte: dayIn(timeZone, now - 86_400_000) } } });
    const deals: Deal[] = rows.map((r) => ({ day: r.day, productId: r.productId, variantId: r.variantId, price: r.priceMinor }));
    const payload = storefrontDeals(deals, await dealVariants(shop, deals.map((d) => d.variantId)), timeZone, currency, now);
    const wanted = payload.deals.length ? [{ ownerId: await appInstallationId(admin), namespace: DEALS_NAMESPACE, key: DEALS_KEY, type: "json" as const, value: JSON.stringify(payload) }] : [];
    const result = await syncStorefrontMetafields(shop, admin, { keys: [DEALS_KEY], namespace: () => DEALS_NAMESPACE }, wanted);
    await atomically(async (db) => {
      await finishRun(run.id, {}, db);
      // Tomorrow the window moves on by a day; while deals are scheduled, come back then.
      if (payload.deals.length) await enqueueJob(shop, "deals.sync", {}, { delayMs: Math.max(60_000, payload.deals[0]!.ends_at * 1000 - now) }, db);
    });
    return result;
  } catch (error) {
    await finishRun(run.id, { error });
    throw error;
  }
}

export async function dealsSyncJob(job: ClaimedJob): Promise<void> {
  await runDealsSync(job.shop, await shopAdmin(job.shop), job.id);
}
