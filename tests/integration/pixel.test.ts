import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER_UA, outcome, SHOP, startHarness, type Harness } from "./support/harness";

// The web pixel's two ends in the app: the install connects the pixel to the shop through the
// Admin API (webPixelCreate, as a job; webPixelUpdate when it exists), and the ingestion
// endpoint (routes/pixel.events.tsx) stores each event once, refuses what is forged,
// malformed or too much with 4xx, and never answers 500.
let harness: Harness;
let prisma: typeof import("~/db.server").default;
let route: typeof import("~/routes/pixel.events");
let key: (shop: string) => string;
let installJobs: string[];

beforeAll(async () => {
  harness = await startHarness();
  prisma = (await import("~/db.server")).default;
  route = await import("~/routes/pixel.events");
  key = (await import("~/events/pixel-key.server")).pixelKey;
  const index = await import("~/routes/app._index");
  const host = Buffer.from("admin.shopify.com/store/uplift-demo").toString("base64");
  await outcome(async () => index.loader({ request: new Request(`http://localhost:8170/app?shop=${SHOP}&host=${host}`, { headers: { Authorization: `Bearer ${await harness.sessionToken()}`, "User-Agent": BROWSER_UA } }), params: {}, context: {} }));
  // The install enqueued the pixel's connection beside the catalog sync, the order backfill and
  // the offer sync (which sets up the checkout's Functions); only the connection runs here.
  installJobs = (await prisma.job.findMany({ where: { shop: SHOP }, select: { name: true } })).map((j) => j.name).sort();
  const { runDueJobs } = await import("~/jobs/worker.server");
  expect(await runDueJobs({ names: ["pixel.connect"] })).toBe(1);
}, 60_000);
afterAll(() => harness.close());

const pixelOf = async (shop = SHOP) => (await import("../devshop/storefront/web-pixels.ts")).webPixelTable(harness.devshop.store).get(shop);

describe("connecting the pixel", () => {
  it("creates the shop's web pixel at install, with the settings its extension declares", async () => {
    expect(installJobs).toEqual(["catalog.sync", "offers.sync", "orders.backfill", "pixel.connect"]);
    const pixel = await pixelOf();
    expect(pixel?.settings).toEqual({ shop: SHOP, key: key(SHOP), ingestUrl: "http://localhost:8170/pixel/events" });
  });

  it("updates the pixel that exists already instead of failing (a reinstall, a new app URL)", async () => {
    const { connectPixel } = await import("~/events/connect.server");
    const { shopAdmin } = await import("~/shopify/shop-admin.server");
    const before = await pixelOf();
    await harness.devshop.store.db.prepare("UPDATE web_pixels SET settings = ? WHERE shop = ?").run(JSON.stringify({ shop: SHOP, key: "old", ingestUrl: "http://old.example/pixel/events" }), SHOP);
    const id = await connectPixel(SHOP, await shopAdmin(SHOP));
    expect(id).toBe(`gid://shopify/WebPixel/${before!.id}`);
    expect((await pixelOf())?.settings.key).toBe(key(SHOP));
  });

  it("is refused by the stand-in, as by Shopify, when the settings do not match the extension's", async () => {
    const { adminQuery } = await import("~/shopify/admin-client.server");
    const { shopAdmin } = await import("~/shopify/shop-admin.server");
    const { WEB_PIXEL_UPDATE_MUTATION } = await import("~/shopify/pixel.queries");
    const pixel = await pixelOf();
    const result = await adminQuery<{ webPixelUpdate: { userErrors: { code: string }[] } }>(await shopAdmin(SHOP), WEB_PIXEL_UPDATE_MUTATION, {
      id: `gid://shopify/WebPixel/${pixel!.id}`, webPixel: { settings: JSON.stringify({ shop: SHOP, accountID: "1" }) },
    });
    expect(result.webPixelUpdate.userErrors.map((e) => e.code)).toEqual(["INVALID_SETTINGS"]);
  });
});

let n = 0;
const offerEvent = (visitor = "visitor-1", id = `ev-${++n}`) => ({ id, name: "uplift:offer_viewed", at: new Date().toISOString(), visitor, offer: "bundle-1", version: "a", arm: "offers" });
const productEvent = (visitor = "visitor-1") => ({
  id: `ev-${++n}`, name: "product_added_to_cart", at: new Date().toISOString(), visitor,
  product: "gid://shopify/Product/1", variant: "gid://shopify/ProductVariant/11", quantity: 2, amount: 117800, currency: "EUR",
});
const checkoutEvent = (visitor = "visitor-1") => ({ id: `ev-${++n}`, name: "checkout_completed", at: new Date().toISOString(), visitor, order: "gid://shopify/Order/9", amount: 117800, currency: "USD" });

function post(body: unknown, init: { method?: string; raw?: string; headers?: Record<string, string> } = {}): Promise<Response> {
  const request = new Request("http://localhost:8170/pixel/events", {
    method: init.method ?? "POST",
    headers: { "Content-Type": "text/plain;charset=UTF-8", Origin: "https://uplift-demo.myshopify.com", ...init.headers },
    body: init.method === "GET" || init.method === "OPTIONS" ? undefined : init.raw ?? JSON.stringify(body),
  });
  const handler = request.method === "GET" ? route.loader : route.action;
  return outcome(() => Promise.resolve(handler({ request, params: {}, context: {} })));
}
const batch = (events: unknown[], shop = SHOP) => ({ shop, key: key(shop), events });

describe("the ingestion endpoint", () => {
  it("stores a batch and answers with the storefront's CORS headers", async () => {
    const events = [offerEvent(), productEvent(), checkoutEvent()];
    const response = await post(batch(events));
    expect(response.status).toBe(202);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(await response.json()).toEqual({ stored: 3, duplicates: 0 });
    const rows = await prisma.pixelEvent.findMany({ where: { shop: SHOP, eventId: { in: events.map((e) => e.id) } }, orderBy: { name: "asc" } });
    expect(rows.map((r) => [r.name, r.offerId, r.variantId, r.quantity, r.amountMinor, r.currency, r.orderId])).toEqual([
      ["checkout_completed", null, null, null, 117800, "USD", "gid://shopify/Order/9"],
      ["product_added_to_cart", null, "gid://shopify/ProductVariant/11", 2, 117800, "EUR", null],
      ["uplift:offer_viewed", "bundle-1", null, null, null, null, null],
    ]);
  });

  it("stores an event once however often it is sent, also twice in one batch and in batches at once", async () => {
    const event = offerEvent();
    expect(await (await post(batch([event, event]))).json()).toEqual({ stored: 1, duplicates: 0 });
    expect(await (await post(batch([event]))).json()).toEqual({ stored: 0, duplicates: 1 });
    const racing = [offerEvent("visitor-race-1"), offerEvent("visitor-race-1")];
    const answers = await Promise.all([1, 2, 3, 4].map(() => post(batch(racing))));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202]);
    expect(await prisma.pixelEvent.count({ where: { shop: SHOP, eventId: { in: [event.id, ...racing.map((e) => e.id)] } } })).toBe(3);
  });

  it("answers the CORS preflight and refuses other methods", async () => {
    const preflight = await post(null, { method: "OPTIONS", headers: { "Access-Control-Request-Method": "POST" } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("Access-Control-Allow-Methods")).toContain("POST");
    expect((await post(null, { method: "GET" })).status).toBe(405);
  });

  it("refuses a forged shop or key with 403 and stores nothing", async () => {
    const forged = [
      { ...batch([offerEvent()]), key: "x".repeat(32) },
      { ...batch([offerEvent()]), key: key("other-shop.myshopify.com") },
      batch([offerEvent()], "not-installed.myshopify.com"),
    ];
    const before = await prisma.pixelEvent.count();
    for (const body of forged) expect((await post(body)).status).toBe(403);
    expect(await prisma.pixelEvent.count()).toBe(before);
  });

  it("refuses malformed batches with 4xx, never 500", async () => {
    const good = offerEvent();
    const bodies: { raw: string }[] = [
      "", "not json", "null", "[]", "{}", '{"shop":1}', JSON.stringify({ shop: SHOP, key: key(SHOP) }),
      JSON.stringify(batch([])), JSON.stringify(batch(Array.from({ length: 51 }, () => offerEvent()))),
      JSON.stringify(batch([{ ...good, name: "page_viewed" }])), JSON.stringify(batch([{ ...good, at: "yesterday" }])),
      JSON.stringify(batch([{ ...good, visitor: "<script>" }])), JSON.stringify(batch([{ ...good, extra: 1 }])),
      JSON.stringify(batch([{ ...productEvent(), amount: -1 }])), JSON.stringify(batch([{ ...productEvent(), quantity: 1.5 }])),
      JSON.stringify(batch([{ ...productEvent(), variant: "https://evil.example" }])), JSON.stringify(batch([{ ...checkoutEvent(), currency: "euro" }])),
      JSON.stringify({ ...batch([good]), shop: "evil.example.com" }), JSON.stringify({ ...batch([good]), more: true }),
      JSON.stringify(batch([{ ...good, id: "x".repeat(101) }])), '{"shop":"' + "a".repeat(70_000) + '"}',
    ].map((raw) => ({ raw }));
    for (const { raw } of bodies) {
      const response = await post(null, { raw });
      expect([400, 413], raw.slice(0, 80)).toContain(response.status);
      expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    }
    expect((await post(null, { raw: "x".repeat(70_000) })).status).toBe(413);
  });

  it("rate-limits a visitor (429 with Retry-After) without holding back the shop's other visitors", async () => {
    const flood = (i: number) => batch(Array.from({ length: 50 }, () => offerEvent("flooder")).map((e) => ({ ...e, id: `flood-${i}-${e.id}` })));
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await post(flood(i)));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 429]);
    expect(Number(answers[2]!.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(await prisma.pixelEvent.count({ where: { shop: SHOP, visitorId: "flooder" } })).toBe(100);
    expect((await post(batch([offerEvent("someone-else")]))).status).toBe(202);
  });

  it("refuses events for a shop that uninstalled the app (within the seconds it is remembered)", async () => {
    await prisma.shop.update({ where: { domain: SHOP }, data: { uninstalledAt: new Date() } });
    try {
      await expect.poll(async () => (await post(batch([offerEvent()]))).status, { timeout: 10_000, interval: 500 }).toBe(403);
    } finally {
      await prisma.shop.update({ where: { domain: SHOP }, data: { uninstalledAt: null } });
    }
  });
});
