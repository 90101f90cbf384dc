import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "@prisma/client";
import { BROWSER_UA, outcome, SHOP, startHarness, webhookRequest, type Harness } from "./support/harness";
import { restProduct } from "../devshop/views.ts";

// Privacy for real: shop/redact erases every row of the shop in every table, a relabelled
// compliance body is refused, and late deliveries bring nothing back.
let harness: Harness;
let prisma: typeof import("~/db.server").default;
let compliance: typeof import("~/routes/webhooks.compliance").action;
let products: typeof import("~/routes/webhooks.products").action;
const OTHER = "another-shop.myshopify.com";

beforeAll(async () => {
  harness = await startHarness();
  prisma = (await import("~/db.server")).default;
  ({ action: compliance } = await import("~/routes/webhooks.compliance"));
  ({ action: products } = await import("~/routes/webhooks.products"));
});
afterAll(() => harness.close());

async function deliver(action: typeof compliance, request: Request): Promise<Response> {
  const response = await outcome(() => action({ request, params: {}, context: {} }));
  await harness.runJobs();
  return response;
}

/** One row of every model for the shop. A model missing here fails the test: add it. */
function rowsOf(shop: string): Record<Prisma.ModelName, () => Promise<unknown>> {
  const key = `${shop}-${Math.random().toString(36).slice(2)}`;
  return {
    Session: () => prisma.session.create({ data: { id: `offline_${key}`, shop, state: "", accessToken: "x" } }),
    Shop: () => prisma.shop.create({ data: { domain: shop, currency: "EUR", currencies: '["EUR"]' } }),
    ShopSettings: () => prisma.shopSettings.create({ data: { shop } }),
    Product: () => prisma.product.create({ data: { shop, id: "gid://shopify/Product/1", title: "P", handle: "p", status: "ACTIVE", updatedAt: new Date() } }),
    Variant: () => prisma.variant.create({ data: { shop, id: "gid://shopify/ProductVariant/1", productId: "gid://shopify/Product/1", title: "V", priceMinor: 100, currency: "EUR" } }),
    VariantPrice: () => prisma.variantPrice.create({ data: { shop, variantId: "gid://shopify/ProductVariant/1", productId: "gid://shopify/Product/1", currency: "USD", priceMinor: 199 } }),
    Collection: () => prisma.collection.create({ data: { shop, id: "gid://shopify/Collection/1", title: "C", handle: "c" } }),
    ProductCollection: () => prisma.productCollection.create({ data: { shop, collectionId: "gid://shopify/Collection/1", productId: "gid://shopify/Product/1" } }),
    Order: () => prisma.order.create({ data: { shop, id: "gid://shopify/Order/1", customerId: "gid://shopify/Customer/1", createdAt: new Date(), currency: "EUR", totalMinor: 100 } }),
    OrderLine: () => prisma.orderLine.create({ data: { shop, id: "gid://shopify/LineItem/1", orderId: "gid://shopify/Order/1", quantity: 1, unitPriceMinor: 100 } }),
    SyncRun: () => prisma.syncRun.create({ data: { shop, kind: "catalog", status: "succeeded" } }),
    Job: () => prisma.job.create({ data: { id: key, shop, name: "offers.sync", status: "succeeded" } }),
    ModelChange: () => prisma.modelChange.create({ data: { shop, orderId: "gid://shopify/Order/1" } }),
    DataRequest: () => prisma.dataRequest.create({ data: { id: key, shop, customerId: "gid://shopify/Customer/1", requestId: "1", report: "{}" } }),
    OfferImport: () => prisma.offerImport.create({ data: { id: key, shop, kind: "bundle", status: "queued", file: "{}" } }),
    WebhookReceipt: () => prisma.webhookReceipt.create({ data: { webhookId: key, shop, topic: "products/update" } }),
    Offer: () => prisma.offer.create({ data: { shop, id: key, kind: "bundle", name: "O", status: "active", priority: 1, definition: "{}" } }),
    OfferMetafield: () => prisma.offerMetafield.create({ data: { shop, productId: "gid://shopify/Product/1", digest: "d" } }),
    BundleParent: () => prisma.bundleParent.create({ data: { shop, offerId: key, productId: "gid://shopify/Product/9", variantId: "gid://shopify/ProductVariant/9", digest: "d" } }),
    ShopFunctions: () => prisma.shopFunctions.create({ data: { shop, cartTransformId: "gid://shopify/CartTransform/1", discountId: "gid://shopify/DiscountAutomaticNode/1" } }),
    RecommendationModel: () => prisma.recommendationModel.create({ data: { shop, model: "{}", orders: 0, builtAt: new Date() } }),
    PixelEvent: () => prisma.pixelEvent.create({ data: { shop, eventId: key, name: "uplift:offer_viewed", visitorId: "v", offerId: "o", occurredAt: new Date() } }),
    StorefrontMetafield: () => prisma.storefrontMetafield.create({ data: { shop, ownerId: "gid://shopify/Product/1", key: "together", digest: "d" } }),
    Deal: () => prisma.deal.create({ data: { shop, day: "2026-12-02", productId: "gid://shopify/Product/1", variantId: "gid://shopify/ProductVariant/1", priceMinor: 90 } }),
  };
}

async function countsOf(shop: string): Promise<Record<string, number>> {
  const { shopColumn } = await import("~/shop/lifecycle.server");
  const counts: Record<string, number> = {};
  for (const model of Object.values(Prisma.ModelName)) {
    const delegate = (prisma as unknown as Record<string, { count(args: unknown): Promise<number> }>)[model.charAt(0).toLowerCase() + model.slice(1)]!;
    counts[model] = await delegate.count({ where: { [shopColumn(model)]: shop } });
  }
  return counts;
}

const shopRedact = (shop: string) => ({ shop_id: 1, shop_domain: shop });
const customerRedact = (shop: string) => ({ shop_id: 1, shop_domain: shop, customer: { id: 1, email: "a@example.com", phone: null }, orders_to_redact: [1] });

describe("privacy", () => {
  it("covers every model of the schema in this test", () => {
    expect(Object.keys(rowsOf(SHOP)).sort()).toEqual(Object.values(Prisma.ModelName).sort());
  });

  it("refuses a customers/redact body relabelled as shop/redact, and a body for another shop", async () => {
    for (const create of Object.values(rowsOf(OTHER))) await create();
    const relabelled = await deliver(compliance, webhookRequest("/webhooks/compliance", "shop/redact", customerRedact(SHOP), {}));
    expect(relabelled.status).toBe(422);
    // A genuine signed body of OTHER's, sent with this shop's headers (the HMAC covers the body only).
    const elsewhere = await deliver(compliance, webhookRequest("/webhooks/compliance", "shop/redact", shopRedact(OTHER)));
    expect(elsewhere.status).toBe(422);
    expect(Object.values(await countsOf(OTHER)).every((n) => n === 1)).toBe(true);
    const nothing = await deliver(compliance, webhookRequest("/webhooks/compliance", "shop/redact", null));
    expect(nothing.status).toBe(422);
  });

  it("shop/redact erases every row of the shop in every table, and no other shop's", async () => {
    for (const create of Object.values(rowsOf(SHOP))) await create();
    expect(Object.values(await countsOf(SHOP)).every((n) => n >= 1)).toBe(true);
    const response = await deliver(compliance, webhookRequest("/webhooks/compliance", "shop/redact", shopRedact(SHOP)));
    expect(response.status).toBe(200);
    const left = Object.entries(await countsOf(SHOP)).filter(([, n]) => n > 0);
    expect(left).toEqual([]);
    expect(Object.values(await countsOf(OTHER)).every((n) => n === 1)).toBe(true);
  });

  it("a late products/update for the erased shop brings nothing back", async () => {
    const late = restProduct([...harness.devshop.store.products.values()][0]!);
    expect((await deliver(products, webhookRequest("/webhooks/products", "products/update", late))).status).toBe(200);
    expect(Object.entries(await countsOf(SHOP)).filter(([, n]) => n > 0)).toEqual([]);
  });

  it("customers/data_request keeps one report for the merchant, however often it is delivered", async () => {
    await prisma.shop.create({ data: { domain: SHOP, currency: "EUR", currencies: '["EUR"]' } });
    await prisma.order.create({ data: { shop: SHOP, id: "gid://shopify/Order/7", customerId: "gid://shopify/Customer/42", createdAt: new Date(), currency: "EUR", totalMinor: 2500 } });
    const body = { shop_id: 1, shop_domain: SHOP, customer: { id: 42, email: "a@example.com", phone: null }, orders_requested: [7], data_request: { id: 9001 } };
    for (let i = 0; i < 2; i++) expect((await deliver(compliance, webhookRequest("/webhooks/compliance", "customers/data_request", body))).status).toBe(200);
    const reports = await prisma.dataRequest.findMany({ where: { shop: SHOP } });
    expect(reports).toHaveLength(1);
    expect(JSON.parse(reports[0]!.report)).toMatchObject({ customerId: "gid://shopify/Customer/42", orders: [{ id: "gid://shopify/Order/7", totalMinor: 2500 }] });
  });

  it("shows the merchant the report to download, and never another shop's", async () => {
    const host = Buffer.from("admin.shopify.com/store/uplift-demo").toString("base64");
    const admin = async (pathname: string) =>
      new Request(`http://localhost:8170${pathname}?shop=${SHOP}&host=${host}`, { headers: { Authorization: `Bearer ${await harness.sessionToken()}`, "User-Agent": BROWSER_UA } });
    const list = await import("~/routes/app.privacy");
    const download = await import("~/routes/app.privacy.$id");
    const { requests } = await (await outcome(async () => list.loader({ request: await admin("/app/privacy"), params: {}, context: {} }))).json();
    expect(requests).toMatchObject([{ customerId: "gid://shopify/Customer/42", requestId: "9001", orders: 1 }]);
    const file = await outcome(async () => download.loader({ request: await admin(`/app/privacy/${requests[0].id}`), params: { id: requests[0].id }, context: {} }));
    expect(file.headers.get("Content-Disposition")).toContain("uplift-data-request-9001.json");
    expect(JSON.parse(await file.text()).orders).toHaveLength(1);
    await prisma.dataRequest.create({ data: { id: "theirs", shop: OTHER, customerId: "gid://shopify/Customer/1", requestId: "1", report: '{"orders":[]}' } });
    const theirs = await outcome(async () => download.loader({ request: await admin("/app/privacy/theirs"), params: { id: "theirs" }, context: {} }));
    expect(theirs.status).toBe(404);
  });
});
