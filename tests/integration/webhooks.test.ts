import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHmac } from "node:crypto";
import { API_SECRET, outcome, SHOP, startHarness, webhookRequest, type Harness } from "./support/harness";
import { restProduct } from "../devshop/views.ts";

// Webhooks through Shopify's library on our real routes and database.
let harness: Harness;
let products: typeof import("~/routes/webhooks.products").action;
let compliance: typeof import("~/routes/webhooks.compliance").action;
let uninstalled: typeof import("~/routes/webhooks.app.uninstalled").action;
let prisma: typeof import("~/db.server").default;

beforeAll(async () => {
  harness = await startHarness();
  ({ action: products } = await import("~/routes/webhooks.products"));
  ({ action: compliance } = await import("~/routes/webhooks.compliance"));
  ({ action: uninstalled } = await import("~/routes/webhooks.app.uninstalled"));
  prisma = (await import("~/db.server")).default;
  await prisma.shop.create({ data: { domain: SHOP, currency: "EUR", currencies: '["EUR"]' } });
});
afterAll(() => harness.close());

/** A delivery, answered, then its queued work done as the app's worker would. */
async function call(action: typeof products, request: Request): Promise<Response> {
  const response = await outcome(() => action({ request, params: {}, context: {} }));
  await harness.runJobs();
  return response;
}
const phone = () => restProduct([...harness.devshop.store.products.values()][0]!);

describe("webhooks", () => {
  it("records a burst in groups: each delivery once with its job, repeats within the burst and an unknown shop's news left out", async () => {
    const ids = Array.from({ length: 40 }, () => crypto.randomUUID());
    const jobs = () => prisma.job.count({ where: { name: "webhook", status: "queued" } });
    const before = await jobs();
    const deliveries = [...ids, ...ids.slice(0, 15)].map((webhookId) => webhookRequest("/webhooks/products", "products/update", phone(), { webhookId }));
    deliveries.push(webhookRequest("/webhooks/products", "products/update", phone(), { shop: "not-installed.myshopify.com" }));
    const answers = await Promise.all(deliveries.map((request) => outcome(() => products({ request, params: {}, context: {} }))));
    expect(answers.map((a) => a.status)).toEqual(deliveries.map(() => 200));
    expect(await prisma.webhookReceipt.count({ where: { webhookId: { in: ids } } })).toBe(40);
    expect(await prisma.webhookReceipt.count({ where: { shop: "not-installed.myshopify.com" } })).toBe(0);
    expect((await jobs()) - before).toBe(40);
    await harness.runJobs();
  });

  it("accepts a delivery signed with the app secret and applies it", async () => {
    const payload = phone();
    const response = await call(products, webhookRequest("/webhooks/products", "products/create", payload));
    expect(response.status).toBe(200);
    const stored = await prisma.product.findUnique({ where: { shop_id: { shop: SHOP, id: payload.admin_graphql_api_id } } });
    expect(stored?.title).toBe(payload.title);
    const variants = await prisma.variant.findMany({ where: { shop: SHOP, productId: payload.admin_graphql_api_id }, orderBy: { position: "asc" } });
    expect(variants.map((v) => v.priceMinor)).toEqual([39900, 46900, 54900]);
  });

  it("rejects a forged signature and a missing one, changing nothing", async () => {
    const payload = { ...phone(), title: "Forged", updated_at: new Date().toISOString() };
    const forged = await call(products, webhookRequest("/webhooks/products", "products/update", payload, { secret: "wrong" }));
    const unsigned = await call(products, webhookRequest("/webhooks/products", "products/update", payload, { secret: null }));
    expect([forged.status, unsigned.status].every((s) => s >= 400 && s < 500)).toBe(true);
    const stored = await prisma.product.findFirst({ where: { shop: SHOP, title: "Forged" } });
    expect(stored).toBeNull();
  });

  it("processes the same webhook id once", async () => {
    const webhookId = crypto.randomUUID();
    const first = { ...phone(), title: "First delivery", updated_at: new Date(Date.now() + 1000).toISOString() };
    const repeat = { ...phone(), title: "Repeated delivery", updated_at: new Date(Date.now() + 2000).toISOString() };
    expect((await call(products, webhookRequest("/webhooks/products", "products/update", first, { webhookId }))).status).toBe(200);
    expect((await call(products, webhookRequest("/webhooks/products", "products/update", repeat, { webhookId }))).status).toBe(200);
    const stored = await prisma.product.findUnique({ where: { shop_id: { shop: SHOP, id: first.admin_graphql_api_id } } });
    expect(stored?.title).toBe("First delivery");
    expect(await prisma.webhookReceipt.count({ where: { webhookId } })).toBe(1);
  });

  it("deletes a product on products/delete", async () => {
    const { id, admin_graphql_api_id } = phone();
    await call(products, webhookRequest("/webhooks/products", "products/delete", { id }));
    expect(await prisma.product.count({ where: { shop: SHOP, id: admin_graphql_api_id } })).toBe(0);
    expect(await prisma.variant.count({ where: { shop: SHOP, productId: admin_graphql_api_id } })).toBe(0);
  });

  it("customers/redact removes the customer from their orders", async () => {
    await prisma.order.create({ data: { shop: SHOP, id: "gid://shopify/Order/1", customerId: "gid://shopify/Customer/42", createdAt: new Date(), currency: "EUR", totalMinor: 1000 } });
    const payload = { shop_id: 1, shop_domain: SHOP, customer: { id: 42, email: "a@example.com", phone: null }, orders_to_redact: [1] };
    expect((await call(compliance, webhookRequest("/webhooks/compliance", "customers/redact", payload))).status).toBe(200);
    expect(await prisma.order.count({ where: { shop: SHOP, customerId: "gid://shopify/Customer/42" } })).toBe(0);
    expect(await prisma.order.count({ where: { shop: SHOP } })).toBe(1);
  });

  it("app/uninstalled removes the sessions; shop/redact removes everything of the shop", async () => {
    await prisma.session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "", accessToken: "x" } });
    expect((await call(uninstalled, webhookRequest("/webhooks/app/uninstalled", "app/uninstalled", { id: 1, domain: SHOP }))).status).toBe(200);
    expect(await prisma.session.count({ where: { shop: SHOP } })).toBe(0);
    expect((await prisma.shop.findUnique({ where: { domain: SHOP } }))?.uninstalledAt).toBeInstanceOf(Date);

    expect((await call(compliance, webhookRequest("/webhooks/compliance", "shop/redact", { shop_id: 1, shop_domain: SHOP }))).status).toBe(200);
    const left = await Promise.all([prisma.shop.count(), prisma.product.count(), prisma.variant.count(), prisma.order.count({ where: { shop: SHOP } })]);
    expect(left).toEqual([0, 0, 0, 0]);
  });
});

describe("webhooks that are not what Shopify sends", () => {
  it("refuses a body over the limit before reading it whole, declared or streamed", async () => {
    const { WEBHOOK_BODY_LIMIT } = await import("~/webhooks/receive.server");
    const big = webhookRequest("/webhooks/products", "products/update", { id: 1, padding: "x".repeat(WEBHOOK_BODY_LIMIT) });
    expect((await call(products, big)).status).toBe(413);
    // No Content-Length: the stream is cut at the limit.
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > WEBHOOK_BODY_LIMIT * 4) return controller.close();
        sent += 1 << 20;
        controller.enqueue(new Uint8Array(1 << 20).fill(32));
      },
    });
    const streamed = new Request(big.url, { method: "POST", headers: big.headers, body: stream, duplex: "half" } as RequestInit);
    streamed.headers.delete("content-length");
    expect((await call(products, streamed)).status).toBe(413);
    expect(sent).toBeLessThan(WEBHOOK_BODY_LIMIT * 2);
  });

  it("answers 422 to a signed body missing what its topic carries, and queues nothing", async () => {
    const jobs = await prisma.job.count();
    const { title: _title, variants: _variants, ...partial } = phone();
    expect((await call(products, webhookRequest("/webhooks/products", "products/update", partial))).status).toBe(422);
    expect((await call(products, webhookRequest("/webhooks/products", "products/update", null))).status).toBe(422);
    expect((await call(products, webhookRequest("/webhooks/products", "orders/create", phone()))).status).toBe(400);
    expect(await prisma.job.count()).toBe(jobs);
  });

  it("answers 400 to a correctly signed body that is not JSON, and 405 to a GET", async () => {
    const jobs = await prisma.job.count();
    const signed = webhookRequest("/webhooks/products", "products/update", phone());
    const notJson = new Request(signed.url, { method: "POST", headers: signed.headers, body: "{not json" });
    notJson.headers.set("X-Shopify-Hmac-Sha256", createHmac("sha256", API_SECRET).update("{not json").digest("base64"));
    expect((await call(products, notJson)).status).toBe(400);
    expect((await call(products, new Request(signed.url, { method: "GET" }))).status).toBe(405);
    expect(await prisma.job.count()).toBe(jobs);
  });

  it("answers without the shop's session: an expired token is not refreshed on the way", async () => {
    // Installed, with an offline token that expired a minute ago and a refresh token that works.
    await prisma.shop.upsert({ where: { domain: SHOP }, create: { domain: SHOP, currency: "EUR", currencies: '["EUR"]' }, update: { uninstalledAt: null } });
    const expired = { id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken: "shpat_expired", expires: new Date(Date.now() - 60_000), refreshToken: "shprt_any", refreshTokenExpires: new Date(Date.now() + 86_400_000) };
    await prisma.session.upsert({ where: { id: expired.id }, create: expired, update: expired });
    const payload = { ...phone(), title: "Answered lean", updated_at: new Date(Date.now() + 5000).toISOString() };
    const response = await outcome(() => products({ request: webhookRequest("/webhooks/products", "products/update", payload), params: {}, context: {} }));
    expect(response.status).toBe(200);
    expect(await prisma.job.count({ where: { name: "webhook", status: "queued" } })).toBe(1);
    const after = await prisma.session.findUniqueOrThrow({ where: { id: expired.id } });
    expect(after.accessToken).toBe("shpat_expired");
  });
});
