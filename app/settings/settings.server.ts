import prisma, { atomically } from "~/db.server";
import { enqueueJob } from "~/jobs/queue.server";
import { isLocale } from "~/i18n/locales";
import { DEFAULT_SETTINGS, type Settings } from "./settings";

export async function loadSettings(shop: string): Promise<Settings> {
  const row = await prisma.shopSettings.findUnique({ where: { shop } });
  if (!row) return DEFAULT_SETTINGS;
  return {
    freeShippingThresholds: JSON.parse(row.freeShippingThresholds) as Record<string, number>,
    holdoutBasisPoints: row.holdoutBasisPoints,
    storefrontLocales: (JSON.parse(row.storefrontLocales) as string[]).filter(isLocale),
    offersPerPage: row.offersPerPage,
    offersPerShopperPerDay: row.offersPerShopperPerDay,
  };
}

export async function saveSettings(shop: string, settings: Settings): Promise<void> {
  const data = {
    freeShippingThresholds: JSON.stringify(settings.freeShippingThresholds),
    holdoutBasisPoints: settings.holdoutBasisPoints,
    storefrontLocales: JSON.stringify(settings.storefrontLocales),
    offersPerPage: settings.offersPerPage,
    offersPerShopperPerDay: settings.offersPerShopperPerDay,
  };
  // The storefront reads thresholds, holdout and pacing from the shop's settings metafield.
  await atomically(async (db) => {
    await db.shopSettings.upsert({ where: { shop }, create: { shop, ...data }, update: data });
    await enqueueJob(shop, "offers.sync", {}, {}, db);
  });
}

/** The currencies the shop sells in, its own first. */
export async function shopCurrencies(shop: string): Promise<string[]> {
  const row = await prisma.shop.findUnique({ where: { domain: shop } });
  if (!row) return ["USD"];
  const all = JSON.parse(row.currencies) as string[];
  return [row.currency, ...all.filter((c) => c !== row.currency)];
}

/** The shop's IANA time zone (Shopify's `shop.ianaTimezone`), UTC until the first sync. */
export async function shopTimezone(shop: string): Promise<string> {
  const row = await prisma.shop.findUnique({ where: { domain: shop }, select: { timezone: true } });
  return row?.timezone ?? "UTC";
}
