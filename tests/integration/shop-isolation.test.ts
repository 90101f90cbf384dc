import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER_UA, outcome, SHOP, startHarness, type Harness } from "./support/harness";
import { SECOND_SHOP } from "../devshop/seed-second.ts";
import { APP_ID } from "../devshop/views.ts";

// The app installed on two shops of the stand-in, each with its own catalog, orders and
// metafields: everything one shop's merchant does stays in that shop, end to end.
let harness: Harness;
let prisma: typeof import("~/db.server").default;
let bundles: typeof import("~/routes/app.bundles.$id");
let bundleIndex: typeof import("~/routes/app.bundles._index");

const hostOf = (shop: string) => Buffer.from(`admin.shopify.com/store/${shop.replace(".myshopify.com", "")}`).toString("base64");

async function request(shop: string, path: string, form?: Record<string, string | string[]>): Promise<Request> {
  const headers = { Authorization: `Bearer ${await harness.sessionToken({ shop })}`, "User-Agent": BROWSER_UA };
  const url = `http://localhost:8170${path}?shop=${shop}&host=${hostOf(shop)}`;
  if (!form) return new Request(url, { headers });
  const body = new FormData();
  for (const [key, value] of Object.entries(form)) for (const v of [value].flat()) body.append(key, v);
  return new Request(url, { method: "POST", headers, body });
}

beforeAll(async () => {
  harness = await startHarness({ otherShops: [SECOND_SHOP] });
  prisma = (await import("~/db.server")).default;
  bundles = await import("~/routes/app.bundles.$id");
  bundleIndex = await import("~/routes/app.bundles._index");
  // Each shop's merchant opens the app: each install exchanges its own token and queues its
  // syncs, which run as the app's worker would run them.
  for (const shop of [SHOP, SECOND_SHOP]) {
    const response = await outcome(async () => bundleIndex.loader({ request: await request(shop, "/app/bundles"), params: {}, context: {} }));
    expect(response.status).toBe(200);
  }
  await harness.runJobs();
}, 180_000);
afterAll(() => harness.close());

const productIdOf = async (shop: string, title: string) => (await prisma.product.findFirstOrThrow({ where: { shop, title } })).id;

async function bundleFor(shop: string, name: string, anchor: string, companion: string) {
  return {
    kind: "bundle", name, status: "active", priority: 50, schedule: { startsAt: null, endsAt: null },
    targeting: { placements: ["product"], products: { productIds: [], variantIds: [], collectionIds: [], tags: [], vendors: [], productTypes: [] }, subtotal: {}, customerTags: { include: [], exclude: [] }, customerType: "any", currencies: [], markets: [], excludePurchased: false },
    content: [{ id: "a", weight: 100, title: name, body: "" }],
    bundle: {
      type: "fbt", anchorProductId: await productIdOf(shop, anchor), companions: [{ productId: await productIdOf(shop, companion), variantId: null, quantity: 1 }],
      learned: 0, discount: { type: "percentage", basisPoints: 1000 },
    },
  };
}

/** Saves, then runs the jobs the save queued (the metafield sync). */
async function save(shop: string, id: string, definition: unknown) {
  const response = await outcome(async () => bundles.action({ request: await request(shop, `/app/bundles/${id}`, { intent: "save", definition: JSON.stringify(definition) }), params: { id }, context: {} }));
  await harness.runJobs();
  return response;
}

/** Every app-owned metafield a shop holds in the stand-in, by owner. */
const appMetafields = (shop: string) =>
  harness.devshop.storeFor(shop).db.prepare("SELECT owner_id, key, value FROM metafields WHERE namespace = ?").all(`app--${APP_ID}--uplift`) as { owner_id: string; key: string; value: string }[];

describe("two shops, one app", () => {
  it("installs on each shop with a token of its own, without one reinstalling the other", () => {
    const rows = harness.devshop.store.db.prepare("SELECT shop, access_token, installed_at FROM installations WHERE uninstalled_at IS NULL ORDER BY shop").all() as { shop: string; access_token: string }[];
    expect(rows.map((r) => r.shop)).toEqual([SHOP, SECOND_SHOP].sort());
    expect(rows[0]!.access_token).not.toBe(rows[1]!.access_token);
  });

  it("mirrors each shop's catalog and orders apart", async () => {
    for (const shop of [SHOP, SECOND_SHOP]) {
      const store = harness.devshop.storeFor(shop);
      expect(await prisma.product.count({ where: { shop } })).toBe(store.products.size);
      const mirrored = new Set((await prisma.product.findMany({ where: { shop }, select: { id: true } })).map((p) => p.id));
      expect([...store.products.keys()].every((id) => mirrored.has(`gid://shopify/Product/${id}`))).toBe(true);
      expect(await prisma.order.count({ where: { shop } })).toBe(store.orders.size);
    }
    expect(harness.devshop.storeFor(SECOND_SHOP).products.size).toBeLessThan(50);
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: SECOND_SHOP } })).currency).toBe("USD");
  });

  it("writes each shop's offers to that shop's metafields only", async () => {
    const first = await save(SHOP, "new", await bundleFor(SHOP, "Phone and case", "Nimbus 9 smartphone", "Nimbus 9 silicone case"));
    const second = await save(SECOND_SHOP, "new", await bundleFor(SECOND_SHOP, "Teapot and strainer", "Glass teapot", "Tea strainer"));
    expect([first.status, second.status]).toEqual([200, 200]);
    const firstId = (await first.json()).id as string;
    const secondId = (await second.json()).id as string;

    const offerIdsIn = (shop: string) => appMetafields(shop).flatMap((m) => {
      const value = JSON.parse(m.value) as { offers?: { id: string }[]; bundles?: { id: string }[] };
      return [...(value.offers ?? []), ...(value.bundles ?? [])].map((o) => o.id);
    });
    expect(new Set(offerIdsIn(SHOP))).toEqual(new Set([firstId]));
    expect(new Set(offerIdsIn(SECOND_SHOP))).toEqual(new Set([secondId]));
    const teapot = `gid://shopify/Product/${[...harness.devshop.storeFor(SECOND_SHOP).products.values()].find((p) => p.title === "Glass teapot")!.id}`;
    expect(appMetafields(SECOND_SHOP).some((m) => m.owner_id === teapot && m.key === "offers")).toBe(true);
    // Prices in the second shop's currency.
    const teapotOffers = JSON.parse(appMetafields(SECOND_SHOP).find((m) => m.owner_id === teapot && m.key === "offers")!.value);
    expect(Object.keys(teapotOffers.offers[0].proposals)).toContain("USD");
  });

  it("answers 404 to one shop's merchant for the other shop's offer", async () => {
    const theirs = await prisma.offer.findFirstOrThrow({ where: { shop: SECOND_SHOP } });
    const load = await outcome(async () => bundles.loader({ request: await request(SHOP, `/app/bundles/${theirs.id}`), params: { id: theirs.id }, context: {} }));
    expect(load.status).toBe(404);
    const deleted = await outcome(async () => bundleIndex.action({ request: await request(SHOP, "/app/bundles", { intent: "delete", ids: [theirs.id] }), params: {}, context: {} }));
    expect((await deleted.json()).count).toBe(0);
    expect(await prisma.offer.count({ where: { id: theirs.id, shop: SECOND_SHOP } })).toBe(1);
  });

  it("a second token exchange for an installed shop hands out a token without reinstalling", async () => {
    const before = harness.devshop.store.db.prepare("SELECT installed_at FROM installations WHERE shop = ?").get(SECOND_SHOP) as { installed_at: string };
    const response = await fetch(`https://${SECOND_SHOP}/admin/oauth/access_token`, {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        client_id: "uplift-test-key", client_secret: "uplift-test-secret", grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token: await harness.sessionToken({ shop: SECOND_SHOP }), subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
        requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token", expiring: "1",
      }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ access_token: expect.any(String), expires_in: 3600, refresh_token: expect.any(String) });
    const after = harness.devshop.store.db.prepare("SELECT installed_at FROM installations WHERE shop = ?").get(SECOND_SHOP) as { installed_at: string };
    expect(after.installed_at).toBe(before.installed_at);
    expect(harness.devshop.webhookLog().filter((w) => w.shop === SECOND_SHOP && w.topic === "app/uninstalled")).toEqual([]);
  });

  it("a session token for one shop cannot get a token for another", async () => {
    const response = await fetch(`https://${SECOND_SHOP}/admin/oauth/access_token`, {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        client_id: "uplift-test-key", client_secret: "uplift-test-secret", grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token: await harness.sessionToken({ shop: SHOP }), subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "invalid_subject_token" });
  });
});
