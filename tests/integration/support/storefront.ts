// A small shop for the storefront tests: a phone with a storage ladder (64 GB sold out), its
// case and charger; the offers the app would sync for them, written to the stand-in as the
// offer sync writes them (product `$app:uplift.offers`, shop `$app:uplift.settings`).
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startDevshop, type Devshop } from "../../devshop/server.ts";
import { presentmentPrice } from "../../devshop/markets.ts";
import { gid, resolveNamespace } from "../../devshop/views.ts";
import type { Product } from "../../devshop/store.ts";
import { catalogOf, type CatalogProduct } from "~/offers/catalog";
import type { Offer } from "~/offers/model";
import { METAFIELD_NAMESPACE, PRODUCT_OFFERS_KEY, SHOP_SETTINGS_KEY, productOffers } from "~/offers/storefront";
import { DEFAULT_SETTINGS, type Settings } from "~/settings/settings";

export const CURRENCIES = ["EUR", "USD"];

function product(id: number, title: string, variants: [string, number, number][]): Product {
  return {
    id, title, handle: title.toLowerCase().replace(/[^a-z0-9]+/g, "-"), status: "ACTIVE", vendor: "Nimbus", productType: "", tags: [], description: `${title}.`,
    imageUrl: null, createdAt: "2026-01-01T00:00:00Z", updatedAt: "2026-01-01T00:00:00Z",
    options: [{ name: variants.length > 1 ? "Storage" : "Title", values: variants.map((v) => v[0]) }],
    variants: variants.map(([title, price, stock], i) => ({
      id: id * 10 + i, productId: id, title, sku: `SKU-${id}-${i}`, price, compareAtPrice: null, inventoryQuantity: stock,
      options: [{ name: variants.length > 1 ? "Storage" : "Title", value: title }], position: i + 1,
    })),
  };
}

export const PHONE = product(1, "Nimbus phone", [["64 GB", 51900, 0], ["128 GB", 58900, 5], ["256 GB", 66900, 5]]);
export const CASE = product(2, "Nimbus case", [["Default Title", 2900, 20]]);
export const CHARGER = product(3, "Nimbus charger", [["Default Title", 3900, 1]]);
const PRODUCTS = [PHONE, CASE, CHARGER];

const catalogProduct = (p: Product): CatalogProduct => ({
  id: gid("Product", p.id), title: p.title, handle: p.handle, collectionIds: [], tags: [], vendor: p.vendor, productType: "",
  variants: p.variants.map((v) => ({
    id: gid("ProductVariant", v.id), productId: gid("Product", p.id), title: v.title, available: v.inventoryQuantity > 0,
    // What the stand-in's contextualPricing answers for each market, as the catalog sync stores it.
    prices: Object.fromEntries(CURRENCIES.map((c) => [c, presentmentPrice(v.price, c, "EUR")])),
  })),
});
export const catalog = catalogOf(PRODUCTS.map(catalogProduct));

const common = { status: "active" as const, priority: 50, schedule: { startsAt: null, endsAt: null }, createdAt: 1 };
const targeting = (productIds: string[]) => ({
  placements: ["product" as const, "cart" as const], products: { productIds, variantIds: [], collectionIds: [], tags: [], vendors: [], productTypes: [] },
  subtotal: {}, customerTags: { include: [], exclude: [] }, customerType: "any" as const, currencies: [], markets: [], excludePurchased: false,
});

export const BUNDLE: Offer = {
  ...common, id: "bundle-1", name: "Phone set", kind: "bundle", targeting: targeting([gid("Product", 1)]),
  content: [{ id: "a", weight: 50, title: "Complete your phone", body: "Everything it needs." }, { id: "b", weight: 50, title: "The full kit", body: "" }],
  bundle: { type: "fbt", anchorProductId: gid("Product", 1), companions: [{ productId: gid("Product", 2), variantId: null, quantity: 1 }, { productId: gid("Product", 3), variantId: null, quantity: 1 }], learned: 0, discount: { type: "percentage", basisPoints: 1000 } },
};
export const LADDER: Offer = {
  ...common, id: "ladder-1", name: "Storage", kind: "upgrade", targeting: targeting([gid("Product", 1)]), learned: false, incentive: { type: "none" },
  content: [{ id: "a", weight: 100, title: "More room for photos", body: "" }],
  rungs: [{ productId: gid("Product", 1), variantId: gid("ProductVariant", 11), gain: "" }, { productId: gid("Product", 1), variantId: gid("ProductVariant", 12), gain: "Twice the storage" }],
};

export const SETTINGS: Settings = { ...DEFAULT_SETTINGS, freeShippingThresholds: { EUR: 70_000, USD: 75_000 }, holdoutBasisPoints: 1000 };

/** Writes what the offer sync would, for these offers, as of `now`. */
export function writeOffers(devshop: Devshop, offers: Offer[], now = Date.now(), settings: Settings = SETTINGS) {
  const namespace = resolveNamespace(METAFIELD_NAMESPACE);
  const updatedAt = new Date().toISOString();
  const pages = productOffers(offers, catalog, PRODUCTS.map((p) => gid("Product", p.id)), CURRENCIES, now);
  for (const p of PRODUCTS) devshop.store.deleteMetafield(gid("Product", p.id), namespace, PRODUCT_OFFERS_KEY);
  for (const [ownerId, payload] of pages) devshop.store.setMetafield({ ownerId, namespace, key: PRODUCT_OFFERS_KEY, type: "json", value: JSON.stringify(payload), updatedAt });
  devshop.store.setMetafield({ ownerId: gid("Shop", 1), namespace, key: SHOP_SETTINGS_KEY, type: "json", value: JSON.stringify({ v: 1, ...settings }), updatedAt });
}

export async function startShop(app: { url: string; secret: string } = { url: "http://localhost:1", secret: "s" }): Promise<{ devshop: Devshop; stop(): Promise<void> }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "uplift-storefront-"));
  const devshop = await startDevshop({ dataDir: dir, apiKey: "k", apiSecret: app.secret, appUrl: app.url, seed: false });
  devshop.store.setShop({ domain: devshop.shop, name: "Nimbus Store", email: "owner@nimbus.example", currency: "EUR", presentmentCurrencies: CURRENCIES, timezone: "Europe/Paris" });
  for (const p of PRODUCTS) devshop.store.put("product", p);
  return {
    devshop,
    async stop() {
      await devshop.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A shopper: keeps the stand-in's cookies between requests, as a browser does. */
export function shopper(base: string, cookies: Record<string, string> = {}) {
  async function call(pathname: string, init: RequestInit = {}) {
    const res = await fetch(base + pathname, { ...init, redirect: "manual", headers: { ...(init.headers as Record<string, string>), cookie: Object.entries(cookies).map(([k, v]) => `${k}=${v}`).join("; ") } });
    for (const set of res.headers.getSetCookie()) {
      const [pair] = set.split(";");
      const at = pair!.indexOf("=");
      cookies[pair!.slice(0, at)] = pair!.slice(at + 1);
    }
    return res;
  }
  return {
    cookies,
    page: async (pathname: string) => (await call(pathname)).text(),
    json: async (pathname: string, body?: unknown) => {
      const res = await call(pathname, body === undefined ? {} : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
  };
}
