import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER_UA, outcome, SHOP, startHarness, webhookRequest, type Harness } from "./support/harness";

// Learning from the shop's orders end to end: the real backfill from the stand-in, the model
// rebuilt when it finishes, orders/* webhooks folding new orders and refunds in, and the
// Suggestions page turning a suggestion into a draft bundle.
let harness: Harness;
let prisma: typeof import("~/db.server").default;
let page: typeof import("~/routes/app.suggestions");
let ordersWebhook: typeof import("~/routes/webhooks.orders").action;
let recommendations: typeof import("~/recommend/learned.server");
let copurchase: typeof import("~/recommend/copurchase");
const host = Buffer.from("admin.shopify.com/store/uplift-demo").toString("base64");

async function request(path: string, form?: Record<string, string>): Promise<Request> {
  const headers = { Authorization: `Bearer ${await harness.sessionToken()}`, "User-Agent": BROWSER_UA };
  const url = `http://localhost:8170${path}?shop=${SHOP}&host=${host}`;
  if (!form) return new Request(url, { headers });
  const body = new FormData();
  for (const [key, value] of Object.entries(form)) body.append(key, value);
  return new Request(url, { method: "POST", headers, body });
}

/** Runs the jobs the app has queued, then checks the latest run of this kind succeeded. */
async function settled(kind: string): Promise<void> {
  await harness.runJobs();
  const run = await prisma.syncRun.findFirst({ where: { shop: SHOP, kind }, orderBy: { id: "desc" } });
  expect([run?.status, run?.error]).toEqual(["succeeded", null]);
}

beforeAll(async () => {
  harness = await startHarness();
  prisma = (await import("~/db.server")).default;
  page = await import("~/routes/app.suggestions");
  ({ action: ordersWebhook } = await import("~/routes/webhooks.orders"));
  recommendations = await import("~/recommend/learned.server");
  copurchase = await import("~/recommend/copurchase");
  // Install: the first authenticated request starts the catalog sync and the order backfill,
  // and the backfill's end starts the first rebuild.
  await outcome(async () => page.loader({ request: await request("/app/suggestions"), params: {}, context: {} }));
  await settled("catalog");
  await settled("orders");
  await settled("recommendations");
}, 120_000);
afterAll(() => harness.close());

const productId = async (title: string) => (await prisma.product.findFirstOrThrow({ where: { shop: SHOP, title } })).id;
const variantOf = (title: string) => [...harness.devshop.store.products.values()].find((p) => p.title === title)!.variants.at(-1)!;
const learned = async () => (await recommendations.loadRecommendations(SHOP))!;
const together = async (a: string, b: string) => copurchase.ordersTogether((await learned()).model, await productId(a), await productId(b));
/** A delivery as Shopify makes it, and the work it queued done, as the app's worker would. */
async function deliver(topic: string, payload: unknown, webhookId = crypto.randomUUID()) {
  const response = await outcome(() => ordersWebhook({ request: webhookRequest("/webhooks/orders", topic, payload, { webhookId }), params: {}, context: {} }));
  await harness.runJobs();
  return response;
}

async function devshop(path: string, body: unknown) {
  const response = await fetch(`${harness.devshop.url}${path}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
  return (await response.json()) as { order: { id: number; created_at: string; line_items: { id: number; product_id: number }[] }; deliveries: number[] };
}

describe("suggestions learned from the shop's orders", () => {
  it("learns from every order the backfill mirrored, without cancelled orders", async () => {
    const orders = [...harness.devshop.store.orders.values()];
    const kept = orders.filter((o) => !o.cancelledAt && o.lines.some((l) => l.currentQuantity > 0)).length;
    expect((await learned()).orders).toBe(kept);
    expect(await prisma.recommendationModel.count()).toBe(1);
  });

  it("finds the phone's own case and charger as its top complements, with evidence that checks out", async () => {
    const { complementsFor, indexNeighbours } = await import("~/recommend/complements");
    const { model } = await learned();
    const phone = await productId("Nimbus 9 smartphone");
    const top = complementsFor(model, indexNeighbours(model), phone, { limit: 3, minOrders: 5 });
    const titles = await Promise.all(top.map(async (c) => (await prisma.product.findUniqueOrThrow({ where: { shop_id: { shop: SHOP, id: String(c.item) } } })).title));
    expect(titles.slice(0, 2)).toEqual(["Nimbus 9 silicone case", "Nimbus 9 wireless charging stand"]);
    // "Bought together in N orders": N counted again from the stand-in's own orders.
    const bought = (o: { cancelledAt: string | null; lines: { productId: number; currentQuantity: number }[] }, title: string) =>
      !o.cancelledAt && o.lines.some((l) => l.currentQuantity > 0 && l.productId === variantOf(title).productId);
    const both = [...harness.devshop.store.orders.values()].filter((o) => bought(o, "Nimbus 9 smartphone") && bought(o, "Nimbus 9 silicone case")).length;
    expect(top[0]!.ordersTogether).toBe(both);
    expect(top[0]!.timesChance).toBeGreaterThan(3);
  });

  it("shows the strongest pairs, rising ladders and refill timings on the Suggestions page", async () => {
    const response = await outcome(async () => page.loader({ request: await request("/app/suggestions"), params: {}, context: {} }));
    const { view } = (await response.json()) as { view: import("~/recommend/suggestions.server").SuggestionsView };
    const phones = view.anchors.filter((a) => a.title.endsWith("smartphone"));
    expect(phones.length).toBeGreaterThan(0);
    for (const anchor of phones) {
      const device = anchor.title.replace(" smartphone", "");
      expect(anchor.complements.map((c) => c.title).slice(0, 2)).toEqual([`${device} silicone case`, `${device} wireless charging stand`]);
      expect(anchor.complements.every((c) => c.ordersTogether >= 5 && c.timesChance > 1)).toBe(true);
    }
    expect(view.ladders.some((l) => l.option === "Storage" && l.steps.map((s) => s.value).join(" > ") === "64 GB > 128 GB > 256 GB")).toBe(true);
    const brushHeads = view.refills.find((r) => r.title.includes("brush heads"));
    expect(brushHeads?.medianDays).toBeGreaterThan(60);
    expect(brushHeads?.medianDays).toBeLessThan(120);
    // The seed's phone owners move up to the same line's Pro or Max model, months later.
    expect(view.moveUps.length).toBeGreaterThan(0);
    for (const move of view.moveUps.filter((m) => m.from.endsWith("smartphone"))) {
      expect(move.to).toMatch(/ (Pro|Max) smartphone$/);
      expect(move.priceStep).toBeGreaterThan(0);
      expect(move.medianDays).toBeGreaterThan(30);
    }
    expect(view.bestSellers.length).toBeGreaterThan(3);
    expect(view.bestSellers.every((s) => s.orders > 0)).toBe(true);
    // Similar products share the best seller's kind: a capsule pack's are other capsules.
    const capsules = view.bestSellers.find((s) => s.title.endsWith("coffee capsules"));
    expect(capsules?.similar.length).toBe(3);
    expect(capsules?.similar.every((x) => x.title.endsWith("coffee capsules"))).toBe(true);
  });

  let created: Awaited<ReturnType<typeof devshop>>["order"];
  it("folds a new order in from orders/create, once per webhook id", async () => {
    const before = await together("Nimbus 9 smartphone", "Nimbus 9 silicone case");
    const orders = (await learned()).orders;
    ({ order: created } = await devshop("/devshop/orders", { lines: [{ variantId: variantOf("Nimbus 9 smartphone").id }, { variantId: variantOf("Nimbus 9 silicone case").id }] }));
    const webhookId = crypto.randomUUID();
    expect((await deliver("orders/create", created, webhookId)).status).toBe(200);
    expect(await together("Nimbus 9 smartphone", "Nimbus 9 silicone case")).toBe(before + 1);
    expect((await learned()).orders).toBe(orders + 1);
    // Shopify delivers again with the same id: nothing changes.
    expect((await deliver("orders/create", created, webhookId)).status).toBe(200);
    expect(await together("Nimbus 9 smartphone", "Nimbus 9 silicone case")).toBe(before + 1);
    expect((await learned()).orders).toBe(orders + 1);
    expect(await prisma.orderLine.count({ where: { shop: SHOP, orderId: `gid://shopify/Order/${created.id}` } })).toBe(2);
  });

  it("takes a refunded line out of the counts on orders/updated", async () => {
    const before = await together("Nimbus 9 smartphone", "Nimbus 9 silicone case");
    const orders = (await learned()).orders;
    const caseLine = created.line_items.find((l) => l.product_id === variantOf("Nimbus 9 silicone case").productId)!;
    const { order } = await devshop(`/devshop/orders/${created.id}/refund`, { lines: [{ lineId: caseLine.id, quantity: 1 }] });
    expect((await deliver("orders/updated", order)).status).toBe(200);
    expect(await together("Nimbus 9 smartphone", "Nimbus 9 silicone case")).toBe(before - 1);
    // The phone was kept: the order still counts.
    expect((await learned()).orders).toBe(orders);
    const line = await prisma.orderLine.findUniqueOrThrow({ where: { shop_id: { shop: SHOP, id: `gid://shopify/LineItem/${caseLine.id}` } } });
    expect(line.refundedQuantity).toBe(1);
  });

  it("ignores an older version of the order that arrives after a newer one", async () => {
    const before = await together("Nimbus 9 smartphone", "Nimbus 9 silicone case");
    // The orders/create payload again, as a late orders/updated from before the refund.
    const stale = { ...created, updated_at: new Date(Date.parse(created.created_at) - 1000).toISOString() };
    expect((await deliver("orders/updated", stale)).status).toBe(200);
    expect(await together("Nimbus 9 smartphone", "Nimbus 9 silicone case")).toBe(before);
    const caseLine = created.line_items.find((l) => l.product_id === variantOf("Nimbus 9 silicone case").productId)!;
    const line = await prisma.orderLine.findUniqueOrThrow({ where: { shop_id: { shop: SHOP, id: `gid://shopify/LineItem/${caseLine.id}` } } });
    expect(line.refundedQuantity).toBe(1);
  });

  it("an order relearns refill timings and move-ups once they are a day old", async () => {
    await prisma.recommendationModel.update({ where: { shop: SHOP }, data: { builtAt: new Date(Date.now() - 25 * 3_600_000) } });
    const runs = await prisma.syncRun.count({ where: { shop: SHOP, kind: "recommendations" } });
    const { order } = await devshop("/devshop/orders", { lines: [{ variantId: variantOf("Edge razor blades").id }] });
    expect((await deliver("orders/create", order)).status).toBe(200);
    expect(await prisma.syncRun.count({ where: { shop: SHOP, kind: "recommendations" } })).toBe(runs + 1);
    await settled("recommendations");
    expect((await prisma.recommendationModel.findUniqueOrThrow({ where: { shop: SHOP } })).builtAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it("a rebuild from the rows agrees with the model the webhooks kept", async () => {
    const folded = await learned();
    const { enqueue } = await import("~/jobs/queue.server");
    await enqueue(SHOP, "recommend.rebuild", {});
    await settled("recommendations");
    const rebuilt = await learned();
    expect(rebuilt.orders).toBe(folded.orders);
    expect(await together("Nimbus 9 smartphone", "Nimbus 9 silicone case")).toBe(copurchase.ordersTogether(folded.model, await productId("Nimbus 9 smartphone"), await productId("Nimbus 9 silicone case")));
  });

  it("turns a suggestion into a draft bundle of the product and its top complements, 10 % off", async () => {
    const phone = await productId("Nimbus 9 smartphone");
    const response = await outcome(async () => page.action({ request: await request("/app/suggestions", { intent: "bundle", productId: phone, name: "Phone set", title: "Frequently bought together" }), params: {}, context: {} }));
    expect(response.status).toBe(200);
    const { path } = await response.json();
    expect(path).toMatch(/^\/app\/bundles\/.+/);
    const offer = await prisma.offer.findFirstOrThrow({ where: { shop: SHOP, id: path.split("/").at(-1) } });
    const definition = JSON.parse(offer.definition);
    expect(offer.status).toBe("draft");
    expect(definition.bundle).toMatchObject({ type: "fbt", anchorProductId: phone, discount: { type: "percentage", basisPoints: 1000 } });
    expect(definition.bundle.companions).toContainEqual({ productId: await productId("Nimbus 9 silicone case"), variantId: null, quantity: 1 });
  });

  it("turns a variant ladder into a draft upgrade ladder", async () => {
    const phone = await productId("Nimbus 9 smartphone");
    const response = await outcome(async () => page.action({ request: await request("/app/suggestions", { intent: "ladder", productId: phone, option: "Storage", name: "Phone storage", title: "More room" }), params: {}, context: {} }));
    const { path } = await response.json();
    expect(path).toMatch(/^\/app\/upgrades\/.+/);
    const offer = await prisma.offer.findFirstOrThrow({ where: { shop: SHOP, id: path.split("/").at(-1) } });
    expect(JSON.parse(offer.definition).rungs.map((r: { gain: string }) => r.gain).slice(0, 2)).toEqual(["64 GB", "128 GB"]);
  });

  it("turns a move up to a dearer product into a draft ladder of the two, and refuses one nobody made", async () => {
    const { view } = (await (await outcome(async () => page.loader({ request: await request("/app/suggestions"), params: {}, context: {} }))).json()) as { view: import("~/recommend/suggestions.server").SuggestionsView };
    const move = view.moveUps[0]!;
    const response = await outcome(async () => page.action({ request: await request("/app/suggestions", { intent: "moveUp", productId: move.fromId, toId: move.toId, name: "Move up", title: "Go Pro" }), params: {}, context: {} }));
    const { path } = await response.json();
    const offer = await prisma.offer.findFirstOrThrow({ where: { shop: SHOP, id: path.split("/").at(-1) } });
    expect(JSON.parse(offer.definition).rungs.map((r: { productId: string }) => r.productId)).toEqual([move.fromId, move.toId]);
    const invented = await outcome(async () => page.action({ request: await request("/app/suggestions", { intent: "moveUp", productId: move.toId, toId: move.fromId, name: "x", title: "x" }), params: {}, context: {} }));
    expect(invented.status).toBe(404);
  });
});
