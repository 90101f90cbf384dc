import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER_UA, outcome, SHOP, startHarness, webhookRequest, type Harness } from "./support/harness";
import { shopper } from "./support/storefront";
import { APP_ID, idOf } from "../devshop/views.ts";
import type { OfferDefinition } from "~/offers/model";
import type { Proposal } from "~/offers/proposals";

// Every bundle type, end to end: the merchant saves the offers in the app, the offer sync
// writes the Functions' rules and the bundle parents to the stand-in, a shopper adds what the
// product pages propose, and the stand-in's checkout (the app's two Functions under QuickJS)
// charges exactly what those pages showed, in EUR and in USD; the order reaches the app.
let harness: Harness;
let prisma: typeof import("~/db.server").default;
let bundles: typeof import("~/routes/app.bundles.$id");
let orders: typeof import("~/routes/webhooks.orders");
const host = Buffer.from("admin.shopify.com/store/uplift-demo").toString("base64");

beforeAll(async () => {
  harness = await startHarness();
  prisma = (await import("~/db.server")).default;
  bundles = await import("~/routes/app.bundles.$id");
  orders = await import("~/routes/webhooks.orders");
  const index = await import("~/routes/app.bundles._index");
  await outcome(async () => index.loader({ request: await request("/app/bundles"), params: {}, context: {} }));
  await harness.runJobs();
}, 120_000);
afterAll(() => harness.close());

async function request(path: string, form?: Record<string, string>): Promise<Request> {
  const headers = { Authorization: `Bearer ${await harness.sessionToken()}`, "User-Agent": BROWSER_UA };
  const url = `http://localhost:8170${path}?shop=${SHOP}&host=${host}`;
  if (!form) return new Request(url, { headers });
  const body = new FormData();
  for (const [key, value] of Object.entries(form)) body.append(key, value);
  return new Request(url, { method: "POST", headers, body });
}

async function product(title: string) {
  const row = await prisma.product.findFirstOrThrow({ where: { shop: SHOP, title } });
  return { ...row, variants: await prisma.variant.findMany({ where: { shop: SHOP, productId: row.id }, orderBy: { id: "asc" } }) };
}
const item = async (title: string, quantity = 1) => ({ productId: (await product(title)).id, variantId: null, quantity });
const targets = (productIds: string[] = []) => ({ productIds, variantIds: [], collectionIds: [], tags: [], vendors: [], productTypes: [] });

async function save(name: string, bundle: Extract<OfferDefinition, { kind: "bundle" }>["bundle"], productIds: string[] = [], schedule: OfferDefinition["schedule"] = { startsAt: null, endsAt: null }): Promise<string> {
  const definition: OfferDefinition = {
    kind: "bundle", name, status: "active", priority: 50, schedule,
    targeting: { placements: ["product", "cart"], products: targets(productIds), subtotal: {}, customerTags: { include: [], exclude: [] }, customerType: "any", currencies: [], markets: [], excludePurchased: false },
    content: [{ id: "a", weight: 100, title: name, body: "" }], bundle,
  };
  const response = await outcome(async () => bundles.action({ request: await request("/app/bundles/new", { intent: "save", definition: JSON.stringify(definition) }), params: { id: "new" }, context: {} }));
  expect(response.status).toBe(200);
  return ((await response.json()) as { id: string }).id;
}

/** What the product page offers for `offerId`, in `currency`: read from the metafield the page renders. */
function shown(productId: string, offerId: string, currency: string): Proposal {
  const field = harness.devshop.store.metafields(productId).find((m) => m.key === "offers" && m.namespace === `app--${APP_ID}--uplift`);
  const offer = (JSON.parse(field!.value) as { offers: { id: string; proposals: Record<string, Proposal> }[] }).offers.find((o) => o.id === offerId);
  if (!offer) throw new Error(`${productId} shows no offer ${offerId}: ${JSON.stringify(ids)} ${JSON.parse(field!.value).offers.map((o: { id: string; proposals: object }) => o.id + ":" + JSON.stringify(o.proposals).slice(0, 80)).join(" | ")}`);
  return offer.proposals[currency]!;
}

const ids: Record<string, string> = {};

beforeAll(async () => {
  ids.fixed = await save("Barista starter set", { type: "fixed", items: [await item("Barista Duo capsule machine"), await item("Ristretto coffee capsules", 2)], discount: { type: "amount", amounts: { EUR: 1000, USD: 1100 } } });
  const blades = await product("Edge razor blades");
  ids.tiers = await save("Stock up on blades", { type: "quantity_tiers", tiers: [{ minQuantity: 3, discount: { type: "percentage", basisPoints: 1500 } }] }, [blades.id]);
  ids.gift = await save("A razor on us", { type: "gift", gift: await item("Edge razor"), minSubtotal: { EUR: 15000, USD: 16500 }, triggerProductIds: [] });
  ids.fbt = await save("Brush and heads", { type: "fbt", anchorProductId: (await product("Brilliant 3 electric toothbrush")).id, companions: [await item("Brilliant 3 replacement brush heads")], learned: 0, discount: { type: "percentage", basisPoints: 1250 } });
  ids.mix = await save("Any two headphones", {
    type: "mix_match", productIds: [(await product("Echo studio headphones 1")).id, (await product("Pulse sport earbuds 1")).id, (await product("Tide noise-cancelling headphones 1")).id],
    collectionIds: [], minItems: 2, maxItems: 2, discount: { type: "fixed_price", prices: { EUR: 9000, USD: 9900 } },
  });
  await harness.runJobs();
}, 120_000);

describe("bundles at the stand-in's checkout", () => {
  it("gets the shop its cart transform, its discount and a parent product for each merged bundle", async () => {
    const functions = await prisma.shopFunctions.findUniqueOrThrow({ where: { shop: SHOP } });
    expect(functions.cartTransformId).toMatch(/^gid:\/\/shopify\/CartTransform\//);
    expect(functions.discountId).toMatch(/^gid:\/\/shopify\/DiscountAutomaticNode\//);
    const parents = await prisma.bundleParent.findMany({ where: { shop: SHOP } });
    expect(parents.map((p) => p.offerId).sort()).toEqual([ids.fixed, ids.mix].sort());
    const parent = harness.devshop.store.products.get(idOf(parents.find((p) => p.offerId === ids.fixed)!.productId))!;
    expect(parent).toMatchObject({ title: "Barista starter set", tags: ["uplift-bundle"] });
    // Mirrored with the shop's catalog, a parent is never offered, searched for or learned from.
    await (await import("~/jobs/queue.server")).enqueue(SHOP, "catalog.sync", {});
    await harness.runJobs();
    const parentId = parents.find((p) => p.offerId === ids.fixed)!.productId;
    expect(await prisma.product.count({ where: { shop: SHOP, id: parentId } })).toBe(1);
    const { loadOfferCatalog } = await import("~/catalog/offer-catalog.server");
    expect((await loadOfferCatalog(SHOP, [parentId])).products).toEqual([]);
    const found = await (await import("~/catalog/search.server")).searchCatalog(SHOP, "products", "Barista");
    expect(found.type === "products" && found.products.map((p) => p.title)).toEqual(expect.arrayContaining(["Barista Duo capsule machine"]));
    expect(found.type === "products" && found.products.map((p) => p.id)).not.toContain(parentId);
  });

  for (const currency of ["EUR", "USD"] as const) {
    it(`charges in ${currency} exactly what the product pages showed, and the order reaches the app`, async () => {
      const machine = await product("Barista Duo capsule machine");
      const blades = await product("Edge razor blades");
      const brush = await product("Brilliant 3 electric toothbrush");
      const [echo, pulse] = [await product("Echo studio headphones 1"), await product("Pulse sport earbuds 1")];
      const fixed = shown(machine.id, ids.fixed!, currency);
      const tiers = shown(blades.id, ids.tiers!, currency);
      const fbt = shown(brush.id, ids.fbt!, currency);
      if (fixed.type !== "bundle" || tiers.type !== "tiers" || fbt.type !== "bundle") throw new Error("unexpected proposals");
      const mixPrice = currency === "EUR" ? 9000 : 9900;

      const s = shopper(harness.devshop.url);
      if (currency === "USD") await s.page("/cart?currency=USD");
      const line = (variantId: string, quantity: number, offer?: string) => ({ id: Number(idOf(variantId)), quantity, properties: offer ? { _uplift_offer: offer } : {} });
      const razor = await product("Edge razor");
      const added = await s.json("/cart/add.js", { items: [
        ...fixed.items.map((i) => line(i.variantId, i.quantity, ids.fixed)),
        line(tiers.variantId, 3, ids.tiers),
        ...fbt.items.map((i) => line(i.variantId, i.quantity, ids.fbt)),
        line(echo.variants[0]!.id, 1, ids.mix), line(pulse.variants[0]!.id, 1, ids.mix),
        line(razor.variants[0]!.id, 1, ids.gift),
      ] });
      expect(added.status).toBe(200);

      await s.page("/cart");
      const cart = await fetchJson(s, "/cart.js");
      expect(cart.currency).toBe(currency);
      const expected = fixed.price.price + 3 * tiers.tiers[0]!.unit.price + fbt.price.price + mixPrice; // the razor is free
      const checkout = await checkOut(s);
      const page = await s.page(checkout);
      expect(page).toContain("Barista starter set"); // the merged line, under the bundle's title
      const before = deliveries().length;
      const paid = await fetch(harness.devshop.url + checkout, { method: "POST", redirect: "manual", body: "" });
      expect(paid.status).toBe(303);
      const created = deliveries().slice(before).find((d) => d.topic === "orders/create")!;
      const order = JSON.parse(created.payload) as { id: number; total_price: string; currency: string; total_price_set: { presentment_money: { amount: string; currency_code: string } } };
      expect(order.total_price_set.presentment_money).toEqual({ amount: (expected / 100).toFixed(2), currency_code: currency });

      // Shopify's delivery of orders/create, to the app: the order is kept with what was charged.
      const answer = await orders.action({ request: webhookRequest("/webhooks/orders", "orders/create", order), params: {}, context: {} });
      expect(answer.status).toBe(200);
      await harness.runJobs();
      const kept = await prisma.order.findUniqueOrThrow({ where: { shop_id: { shop: SHOP, id: `gid://shopify/Order/${order.id}` } } });
      expect([kept.currency, (kept.totalMinor / 100).toFixed(2)]).toEqual([order.currency, order.total_price]);
    });
  }
});

describe("schedules, for Functions that cannot read the clock", () => {
  it("writes a scheduled offer's rules when it starts and takes them off when it ends", async () => {
    const heads = await product("Sonic Pro replacement brush heads");
    const rules = () => {
      const field = harness.devshop.store.metafields(heads.id).find((m) => m.key === "discounts");
      return field ? (JSON.parse(field.value) as { rules: { id: string }[] }).rules.map((r) => r.id) : [];
    };
    const start = Date.now() + 2_000;
    const id = await save("Heads for the holidays", { type: "quantity_tiers", tiers: [{ minQuantity: 2, discount: { type: "percentage", basisPoints: 1000 } }] }, [heads.id], { startsAt: start, endsAt: start + 2_000 });
    await harness.runJobs();
    expect(rules()).not.toContain(id);
    expect((await prisma.shopFunctions.findUniqueOrThrow({ where: { shop: SHOP } })).nextChangeAt?.getTime()).toBe(start);
    const runAt = async (time: number) => {
      await new Promise((r) => setTimeout(r, Math.max(0, time - Date.now() + 200)));
      await harness.runJobs();
    };
    await runAt(start);
    expect(rules()).toContain(id);
    await runAt(start + 2_000);
    expect(rules()).not.toContain(id);
  });
});

function deliveries(): { topic: string; payload: string }[] {
  return harness.devshop.store.db.prepare("SELECT topic, payload FROM webhook_deliveries ORDER BY id").all() as { topic: string; payload: string }[];
}

async function fetchJson(s: ReturnType<typeof shopper>, path: string): Promise<Record<string, unknown>> {
  return JSON.parse(await s.page(path)) as Record<string, unknown>;
}

async function checkOut(s: ReturnType<typeof shopper>): Promise<string> {
  const cookie = Object.entries(s.cookies).map(([k, v]) => `${k}=${v}`).join("; ");
  const started = await fetch(`${harness.devshop.url}/checkout`, { redirect: "manual", headers: { cookie } });
  return started.headers.get("location")!;
}
