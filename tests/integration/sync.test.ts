import { afterAll, beforeAll, describe, expect, it } from "vitest";
import "@shopify/shopify-api/adapters/node";
import { ApiVersion, RequestedTokenType, shopifyApi } from "@shopify/shopify-api";
import { API_KEY, API_SECRET, SHOP, startHarness, type Harness } from "./support/harness";
import type { AdminGraphqlClient } from "~/shopify/admin-client.server";
import { presentmentPrice } from "../devshop/markets.ts";
import { restProduct } from "../devshop/views.ts";

// The catalog sync and order backfill against the stand-in, with a bucket so small that
// Shopify's throttling kicks in: the sync must wait and retry, and still finish whole.
let harness: Harness;
let admin: AdminGraphqlClient;
let throttledAnswers = 0;
let prisma: typeof import("~/db.server").default;

beforeAll(async () => {
  harness = await startHarness({ throttle: { maximumAvailable: 1000, restoreRate: 2000 } });
  const shopify = (await import("~/shopify.server")).default;
  prisma = (await import("~/db.server")).default;
  // Install as Shopify does: exchange a session token for an offline access token (with the
  // library directly, so the app's afterAuth hook does not start syncs of its own).
  const api = shopifyApi({ apiKey: API_KEY, apiSecretKey: API_SECRET, hostName: "localhost:8170", apiVersion: ApiVersion.October26, isEmbeddedApp: true, logger: { level: 0 } });
  const { session } = await api.auth.tokenExchange({
    shop: SHOP, sessionToken: await harness.sessionToken(), requestedTokenType: RequestedTokenType.OfflineAccessToken,
  });
  await shopify.sessionStorage!.storeSession(session);
  const { admin: real } = await shopify.unauthenticated.admin(SHOP);
  // Watches (does not change) what Shopify answers, to see the throttled path taken.
  admin = {
    async graphql(query, options) {
      try {
        return await real.graphql(query, options);
      } catch (error) {
        if (JSON.stringify((error as { body?: unknown }).body ?? "").includes("THROTTLED")) throttledAnswers++;
        throw error;
      }
    },
  };
});
afterAll(() => harness.close());

describe("catalog sync", () => {
  it("waits out throttling and mirrors every product, variant and collection", async () => {
    const { runCatalogSync } = await import("~/catalog/sync.server");
    const result = await runCatalogSync(SHOP, admin);
    const run = await prisma.syncRun.findUniqueOrThrow({ where: { id: result!.runId } });
    expect(run.error).toBeNull();
    expect(run.status).toBe("succeeded");
    expect(throttledAnswers).toBeGreaterThan(0);

    const store = harness.devshop.store;
    const variants = [...store.products.values()].reduce((n, p) => n + p.variants.length, 0);
    expect(await prisma.product.count({ where: { shop: SHOP } })).toBe(store.products.size);
    expect(await prisma.variant.count({ where: { shop: SHOP } })).toBe(variants);
    expect(await prisma.collection.count({ where: { shop: SHOP } })).toBe(store.collections.size);
    expect(run.done).toBe(store.products.size);
    expect(await prisma.product.count({ where: { shop: SHOP, imageUrl: { startsWith: harness.devshop.url } } })).toBe(store.products.size);
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } });
    expect([shop.currency, JSON.parse(shop.currencies), shop.timezone]).toEqual(["EUR", ["EUR", "USD", "GBP"], "Europe/Paris"]);
  });

  it("stores every variant's price in the shop's other currencies as the markets price it (contextualPricing)", async () => {
    const store = harness.devshop.store;
    const rows = await prisma.variantPrice.findMany({ where: { shop: SHOP } });
    const variants = [...store.products.values()].flatMap((p) => p.variants.map((v) => ({ p, v })));
    expect(rows.length).toBe(variants.length * 2); // USD and GBP; EUR is the variant's own price
    const stored = new Map(rows.map((r) => [`${r.variantId} ${r.currency}`, r]));
    for (const { p, v } of variants) {
      for (const currency of ["USD", "GBP"]) {
        // What the stand-in (Shopify's part) charges buyers in that market: rate, then rounding.
        expect(stored.get(`gid://shopify/ProductVariant/${v.id} ${currency}`), `${p.title} ${currency}`).toMatchObject({
          productId: `gid://shopify/Product/${p.id}`, priceMinor: presentmentPrice(v.price, currency, "EUR"),
          compareAtMinor: v.compareAtPrice === null ? null : presentmentPrice(v.compareAtPrice, currency, "EUR"),
        });
      }
    }
    // The market's rounding shows in what was stored: the app did not convert prices itself.
    const some = variants.find(({ v }) => Math.round(v.price * 1.08) % 100 !== 99)!;
    expect(stored.get(`gid://shopify/ProductVariant/${some.v.id} USD`)!.priceMinor).not.toBe(Math.round(some.v.price * 1.08));

    // The offer engine's catalog prices each variant in every currency.
    const { loadOfferCatalog } = await import("~/catalog/offer-catalog.server");
    const { catalog } = await loadOfferCatalog(SHOP, [`gid://shopify/Product/${some.p.id}`]);
    expect(catalog.variant(`gid://shopify/ProductVariant/${some.v.id}`)!.prices).toEqual({
      EUR: some.v.price, USD: presentmentPrice(some.v.price, "USD", "EUR"), GBP: presentmentPrice(some.v.price, "GBP", "EUR"),
    });
  });

  it("refreshes a product's prices in every currency on products/update", async () => {
    const store = harness.devshop.store;
    const product = [...store.products.values()].find((p) => p.status === "ACTIVE")!;
    // The merchant changes the price in the admin; Shopify sends products/update (shop-currency prices only).
    const response = await fetch(`${harness.devshop.url}/devshop/products/${product.id}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ price: 12_345 }) });
    expect(response.status).toBe(200);
    const { applyProductWebhook } = await import("~/catalog/product-webhooks.server");
    await applyProductWebhook(SHOP, "products/update", restProduct(store.products.get(product.id)!), async () => admin);
    const rows = await prisma.variantPrice.findMany({ where: { shop: SHOP, productId: `gid://shopify/Product/${product.id}` }, orderBy: [{ variantId: "asc" }, { currency: "asc" }] });
    expect(rows.map((r) => [r.currency, r.priceMinor])).toEqual(product.variants.flatMap(() => [["GBP", presentmentPrice(12_345, "GBP", "EUR")], ["USD", presentmentPrice(12_345, "USD", "EUR")]]));
    expect(presentmentPrice(12_345, "USD", "EUR")).toBe(13_399); // 123.45 € is 133.33 $, rounded up to 133.99 $
    expect((await prisma.variant.findFirstOrThrow({ where: { shop: SHOP, productId: `gid://shopify/Product/${product.id}` } })).priceMinor).toBe(12_345);
  });

  it("syncs the catalog in the shop's currency only, and says why, while read_markets is not granted", async () => {
    // An install from before Uplift asked for read_markets: Shopify denies `markets`.
    const installations = harness.devshop.store.db;
    const { scope } = installations.prepare("SELECT scope FROM installations WHERE shop = ?").get(SHOP) as { scope: string };
    installations.prepare("UPDATE installations SET scope = ? WHERE shop = ?").run(scope.split(",").filter((s) => s !== "read_markets").join(","), SHOP);
    try {
      const { runCatalogSync, MARKETS_SCOPE_WARNING } = await import("~/catalog/sync.server");
      const run = await prisma.syncRun.findUniqueOrThrow({ where: { id: (await runCatalogSync(SHOP, admin)).runId } });
      expect([run.status, run.error, run.warning]).toEqual(["succeeded", null, MARKETS_SCOPE_WARNING]);
      expect(await prisma.variantPrice.count({ where: { shop: SHOP } })).toBe(0);
      expect(await prisma.variant.count({ where: { shop: SHOP } })).toBeGreaterThan(0);
      // Approved: the next sync prices every currency again.
      installations.prepare("UPDATE installations SET scope = ? WHERE shop = ?").run(scope, SHOP);
      const again = await prisma.syncRun.findUniqueOrThrow({ where: { id: (await runCatalogSync(SHOP, admin)).runId } });
      expect(again.warning).toBeNull();
      expect(await prisma.variantPrice.count({ where: { shop: SHOP } })).toBe(2 * (await prisma.variant.count({ where: { shop: SHOP } })));
    } finally {
      installations.prepare("UPDATE installations SET scope = ? WHERE shop = ?").run(scope, SHOP);
    }
  }, 180_000);
});

describe("order backfill", () => {
  it("streams every order of the bulk operation into compact rows", async () => {
    const { enqueue } = await import("~/jobs/queue.server");
    await enqueue(SHOP, "orders.backfill", {});
    await harness.runJobs();
    const run = await prisma.syncRun.findFirst({ where: { shop: SHOP, kind: "orders" }, orderBy: { id: "desc" } });
    expect(run?.error ?? null).toBeNull();
    expect(run?.status).toBe("succeeded");
    const orders = [...harness.devshop.store.orders.values()];
    expect(await prisma.order.count({ where: { shop: SHOP } })).toBe(orders.length);
    // Progress was counted in orders, not in the file's order lines.
    expect([run?.done, run?.total]).toEqual([orders.length, orders.length]);
    expect(await prisma.orderLine.count({ where: { shop: SHOP } })).toBe(orders.reduce((n, o) => n + o.lines.length, 0));
    const refunded = orders.flatMap((o) => o.lines).filter((l) => l.currentQuantity < l.quantity).length;
    expect(await prisma.orderLine.count({ where: { shop: SHOP, refundedQuantity: { gt: 0 } } })).toBe(refunded);
    expect(await prisma.order.count({ where: { shop: SHOP, cancelledAt: { not: null } } })).toBe(orders.filter((o) => o.cancelledAt).length);
  }, 180_000);
});
