import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER_UA, outcome, SHOP, startHarness, webhookRequest, type Harness } from "./support/harness";
import { gid, resolveNamespace, restProduct } from "../devshop/views.ts";

// What the storefront's recommendations and deal-of-the-day blocks read, written by the app
// to the stand-in end to end: the rebuild after the order backfill publishes the windows
// (product metafields and app-data metafields, product references only, never the product
// itself or a sold-out one), a second run writes nothing, a product selling out leaves the
// windows; the deals page schedules a deal and the deals sync writes it, in the shop's zone.
let harness: Harness;
let prisma: typeof import("~/db.server").default;
let deals: typeof import("~/routes/app.deals");
let publish: typeof import("~/recommend/publish.server");
let shopAdmin: typeof import("~/shopify/shop-admin.server").shopAdmin;
let products: typeof import("~/routes/webhooks.products").action;
const host = Buffer.from("admin.shopify.com/store/uplift-demo").toString("base64");
const OWN = resolveNamespace("$app:uplift");
const INSTALLATION = gid("AppInstallation", 1);

async function request(form?: Record<string, string>): Promise<Request> {
  const headers = { Authorization: `Bearer ${await harness.sessionToken()}`, "User-Agent": BROWSER_UA };
  const url = `http://localhost:8170/app/deals?shop=${SHOP}&host=${host}`;
  if (!form) return new Request(url, { headers });
  const body = new FormData();
  for (const [key, value] of Object.entries(form)) body.append(key, value);
  return new Request(url, { method: "POST", headers, body });
}

async function settled(kind: string): Promise<void> {
  await harness.runJobs();
  const run = await prisma.syncRun.findFirst({ where: { shop: SHOP, kind }, orderBy: { id: "desc" } });
  expect([run?.status, run?.error]).toEqual(["succeeded", null]);
}

/** The stand-in's metafields with this key, by owner, their values parsed. */
function written(key: string, namespace = OWN): Map<string, unknown> {
  const rows = harness.devshop.store.db.prepare("SELECT owner_id, type, value FROM metafields WHERE namespace = ? AND key = ?").all(namespace, key) as { owner_id: string; type: string; value: string }[];
  return new Map(rows.map((r) => [r.owner_id, { type: r.type, value: JSON.parse(r.value) as unknown }]));
}
const ids = (entry: unknown) => (entry as { value: string[] }).value;

beforeAll(async () => {
  harness = await startHarness();
  prisma = (await import("~/db.server")).default;
  deals = await import("~/routes/app.deals");
  publish = await import("~/recommend/publish.server");
  ({ shopAdmin } = await import("~/shopify/shop-admin.server"));
  ({ action: products } = await import("~/routes/webhooks.products"));
  await outcome(async () => deals.loader({ request: await request(), params: {}, context: {} }));
  await settled("catalog");
  await settled("orders");
  await settled("recommendations");
  await settled("windows");
}, 180_000);
afterAll(() => harness.close());

describe("the recommendation windows", () => {
  it("are written after the rebuild: product references, never the product itself, only what can be bought", async () => {
    const together = written("together");
    const similar = written("similar");
    expect(together.size).toBeGreaterThan(100);
    expect(similar.size).toBeGreaterThan(100);
    const store = harness.devshop.store;
    const buyable = (id: string) => store.products.get(Number(id.split("/").pop()))!.variants.some((v) => v.inventoryQuantity > 0);
    for (const [owner, entry] of [...together, ...similar]) {
      expect((entry as { type: string }).type).toBe("list.product_reference");
      const list = ids(entry);
      expect(list.length).toBeGreaterThan(0);
      expect(list.length).toBeLessThanOrEqual(12);
      expect(list).not.toContain(owner);
      for (const id of list) expect(buyable(id), id).toBe(true);
    }
    // The shop's windows: app-data metafields of the app installation.
    const best = written("best_sellers", "uplift").get(INSTALLATION);
    expect(ids(best)).toHaveLength(12);
    // Bookkept: one row per metafield written, so the next run can tell what changed.
    expect(await prisma.storefrontMetafield.count({ where: { shop: SHOP, key: { in: ["together", "similar", "best_sellers", "on_offer"] } } }))
      .toBe(together.size + similar.size + written("best_sellers", "uplift").size + written("on_offer", "uplift").size);
  });

  it("write nothing when nothing changed, and take out a product that sold out", async () => {
    expect(await publish.publishWindows(SHOP, await shopAdmin(SHOP))).toEqual({ written: 0, deleted: 0 });
    // The shop's best seller sells out: Shopify sends products/update, the mirror follows.
    const [top] = ids(written("best_sellers", "uplift").get(INSTALLATION));
    const product = harness.devshop.store.products.get(Number(top!.split("/").pop()))!;
    for (const v of product.variants) v.inventoryQuantity = 0;
    harness.devshop.store.put("product", product);
    const response = await outcome(() => products({ request: webhookRequest("/webhooks/products", "products/update", restProduct(product)), params: {}, context: {} }));
    expect(response.status).toBe(200);
    await harness.runJobs();
    const changed = await publish.publishWindows(SHOP, await shopAdmin(SHOP));
    expect(changed.written).toBeGreaterThan(1);
    expect(ids(written("best_sellers", "uplift").get(INSTALLATION))).not.toContain(top);
    for (const entry of written("together").values()) expect(ids(entry)).not.toContain(top);
  });
});

describe("the deal of the day", () => {
  const today = () => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit" }).format(Date.now());
  const deal = async (form: Record<string, string>) => {
    const response = await outcome(async () => deals.action({ request: await request(form), params: {}, context: {} }));
    return { status: response.status, body: (await response.json()) as { ok: boolean; errors: Record<string, string> } };
  };

  it("mirrors the shop's time zone and schedules a deal the storefront can read", async () => {
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } })).timezone).toBe("Europe/Paris");
    const variant = await prisma.variant.findFirstOrThrow({ where: { shop: SHOP, availableForSale: true, priceMinor: { gt: 2000 } } });
    const product = await prisma.product.findFirstOrThrow({ where: { shop: SHOP, id: variant.productId } });
    expect(await deal({ intent: "save", day: today(), variantId: variant.id, price: "9.99" })).toEqual({ status: 200, body: { ok: true, errors: {} } });
    await settled("deals");
    const entry = written("deals", "uplift").get(INSTALLATION) as { type: string; value: { time_zone: string; deals: Record<string, unknown>[] } };
    expect(entry.type).toBe("json");
    expect(entry.value.time_zone).toBe("Europe/Paris");
    expect(entry.value.deals).toEqual([expect.objectContaining({
      day: today(), handle: product.handle, variant_id: variant.id, price: 999, regular: variant.priceMinor, currency: "EUR", product_id: product.id,
    })]);
    const [{ starts_at, ends_at }] = entry.value.deals as [{ starts_at: number; ends_at: number }];
    expect(starts_at * 1000).toBeLessThanOrEqual(Date.now());
    expect(ends_at * 1000).toBeGreaterThan(Date.now());
    // The next midnight's run is waiting to move the window on.
    expect(await prisma.job.count({ where: { shop: SHOP, name: "deals.sync", status: "queued", runAt: { gt: new Date() } } })).toBe(1);
  });

  it("refuses a price that is not below the regular one, a past day and an unknown variant, and writes nothing", async () => {
    const before = JSON.stringify([...written("deals", "uplift")]);
    const variant = await prisma.variant.findFirstOrThrow({ where: { shop: SHOP, availableForSale: true } });
    const refused = await deal({ intent: "save", day: "2020-01-01", variantId: "gid://shopify/ProductVariant/999999999", price: "abc" });
    expect(refused).toEqual({ status: 400, body: { ok: false, errors: { day: "deals.errors.past", product: "deals.errors.product", price: "deals.errors.price" } } });
    const dear = await deal({ intent: "save", day: today(), variantId: variant.id, price: String(variant.priceMinor) });
    expect(dear.body.errors).toEqual({ price: "deals.errors.notLower" });
    await harness.runJobs();
    expect(JSON.stringify([...written("deals", "uplift")])).toBe(before);
  });

  it("is taken off the storefront when the merchant removes it", async () => {
    expect((await deal({ intent: "delete", day: today() })).status).toBe(200);
    await settled("deals");
    expect(written("deals", "uplift").size).toBe(0);
  });
});
