import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PixelEventsCheckoutCompletedData } from "@shopify/web-pixels-extension";
import { startDevshop, type Devshop } from "../devshop/server.ts";
import { presentmentPrice } from "../devshop/markets.ts";
import { gid, idOf, resolveNamespace } from "../devshop/views.ts";
import { buildFunctionInput, FunctionInputError, type FunctionContext } from "../devshop/functions/input.ts";
import { loadFunctionSchema, validateInputShape } from "../devshop/functions/schema.ts";
import { appFunctions, EXTENSIONS_DIR, functionOwners } from "../devshop/functions/registry.ts";
import { createFunctionHost } from "../devshop/functions/host.ts";
import { CASE, CHARGER, PHONE, shopper } from "./support/storefront";

// The stand-in runs the app's Functions at checkout as Shopify does: the Admin API the app uses
// to set them up (validated against the real Admin schema), each Function's input built from its
// own query over the real Function schema, the Function under QuickJS, its output validated and
// applied, and the order placed with what was charged. Fixture Functions
// (tests/devshop/functions/fixtures) exercise the host; the app's own two run at the end.
const FIXTURES = path.resolve(__dirname, "../devshop/functions/fixtures");
const ROOTS = [EXTENSIONS_DIR, FIXTURES];
const TOKEN = "shpat_functions_test";
const SECOND = "uplift-second.myshopify.com";
const SECRET = "functions-secret";
let devshop: Devshop;
let dir: string;
let receiver: Server;
const received: { topic: string; body: string }[] = [];

beforeAll(async () => {
  receiver = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    received.push({ topic: String(req.headers["x-shopify-topic"]), body: Buffer.concat(chunks).toString("utf8") });
    res.writeHead(200).end();
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  dir = mkdtempSync(path.join(os.tmpdir(), "uplift-functions-"));
  devshop = await startDevshop({
    dataDir: dir, apiKey: "k", apiSecret: SECRET, appUrl: `http://127.0.0.1:${(receiver.address() as { port: number }).port}`, seed: false, functionRoots: ROOTS,
    otherShops: [SECOND],
  });
  devshop.store.setShop({ domain: devshop.shop, name: "Nimbus Store", email: "owner@nimbus.example", currency: "EUR", presentmentCurrencies: ["EUR", "USD"], timezone: "Europe/Paris" });
  for (const p of [PHONE, CASE, CHARGER]) devshop.store.put("product", p);
  devshop.storeFor(SECOND).setShop({ id: 2, domain: SECOND, name: "Second", email: "owner@second.example", currency: "USD", presentmentCurrencies: ["USD"], timezone: "America/New_York" });
  for (const shop of [devshop.shop, SECOND]) {
    devshop.store.db.prepare("INSERT INTO installations (shop, access_token, scope, installed_at) VALUES (?, ?, ?, ?)").run(shop, TOKEN, "write_products,write_discounts,write_cart_transforms", new Date().toISOString());
  }
});
afterAll(async () => {
  await devshop.close();
  await new Promise((resolve) => receiver.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

/** Admin GraphQL as the app calls it; throws on top-level errors (an invalid document included). */
async function admin<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}, shop = devshop.shop): Promise<T> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await fetch(`${devshop.url}/admin/api/2026-10/graphql.json`, {
    method: "POST", headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": TOKEN, "X-Forwarded-Host": shop }, body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data: T; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const text = (html: string) => html.replace(/<(script|style)[\s\S]*?<\/\1>/g, "").replace(/<[^>]+>/g, " ").replace(/&#39;/g, "'").replace(/&#8722;|−/g, "-").replace(/[ \t\r\n\u202f\u00a0]+/g, " ");
const cookie = (s: ReturnType<typeof shopper>) => Object.entries(s.cookies).map(([k, v]) => `${k}=${v}`).join("; ");
async function checkOut(s: ReturnType<typeof shopper>) {
  await fetch(`${devshop.url}/cart`, { method: "POST", redirect: "manual", headers: { "Content-Type": "application/x-www-form-urlencoded", cookie: cookie(s) }, body: "checkout=" });
  const started = await fetch(`${devshop.url}/checkout`, { redirect: "manual", headers: { cookie: cookie(s) } });
  return started.headers.get("location")!;
}
async function pay(checkout: string) {
  const before = received.length;
  const paid = await fetch(devshop.url + checkout, { method: "POST", redirect: "manual", body: "" });
  expect(paid.status).toBe(303);
  for (let i = 0; i < 100 && !received.slice(before).some((r) => r.topic === "orders/create"); i++) await new Promise((r) => setTimeout(r, 20));
  return JSON.parse(received.slice(before).find((r) => r.topic === "orders/create")!.body) as RestOrder;
}
interface RestOrder {
  id: number; currency: string; presentment_currency: string; total_price: string; subtotal_price: string; total_discounts: string; total_line_items_price: string;
  total_price_set: { presentment_money: { amount: string; currency_code: string } };
  discount_applications: { type: string; title: string; description: string; value: string; value_type: string; allocation_method: string }[];
  line_items: { variant_id: number; quantity: number; price: string; price_set: { presentment_money: { amount: string } }; total_discount: string; properties: { name: string; value: string }[]; sales_line_item_group_id: number | null; discount_allocations: { amount: string; discount_application_index: number }[] }[];
}
const pixelEvents = (html: string) => {
  const json = /<script type="application\/json" id="web-pixels-manager-setup">([\s\S]*?)<\/script>/.exec(html);
  return json ? (JSON.parse(json[1]!) as { events: { name: string; data: unknown }[] }).events : [];
};

const FIXTURE_CONFIG = (parent: string) => JSON.stringify({ parent, decrease: "10", title: "Fixture bundle" });
let parentVariant = "";
let parentProduct = "";
let transformId = "";
let discountId = "";

describe("Admin API for the app's Functions", () => {
  it("lists the app's Functions and sets up one cart transform per shop, with Shopify's userErrors", async () => {
    const listed = await admin(`{ shopifyFunctions(first: 10) { nodes { id handle apiType title } } }`);
    const handles = listed.shopifyFunctions.nodes.map((f: { handle: string; apiType: string }) => `${f.handle}:${f.apiType}`);
    expect(handles).toEqual(expect.arrayContaining(["bundle-transform:cart_transform", "bundle-discount:discount", "fixture-transform:cart_transform", "fixture-discount:discount"]));
    expect(listed.shopifyFunctions.nodes.find((f: { handle: string }) => f.handle === "bundle-discount").id).toBe(appFunctions(ROOTS).find((f) => f.handle === "bundle-discount")!.id);

    // A bundle parent product, priced, with its components.
    const created = await admin(`mutation { productCreate(product: { title: "Phone set", status: ACTIVE, tags: ["bundle"] }) { product { id handle variants(first: 1) { nodes { id price } } } userErrors { field message } } }`);
    expect(created.productCreate.userErrors).toEqual([]);
    parentProduct = created.productCreate.product.id;
    parentVariant = created.productCreate.product.variants.nodes[0].id;
    expect(created.productCreate.product.variants.nodes[0].price).toBe("0.00");
    const blank = await admin(`mutation { productCreate(product: { title: "" }) { product { id } userErrors { field message } } }`);
    expect(blank.productCreate.userErrors).toEqual([{ field: ["title"], message: "Title can't be blank" }]);
    const priced = await admin(`mutation($p: ID!, $v: [ProductVariantsBulkInput!]!) { productVariantsBulkUpdate(productId: $p, variants: $v) { productVariants { id price } userErrors { field message code } } }`, { p: parentProduct, v: [{ id: parentVariant, price: "556.20" }] });
    expect(priced.productVariantsBulkUpdate.productVariants).toEqual([{ id: parentVariant, price: "556.20" }]);
    const components = [{ id: gid("ProductVariant", PHONE.variants[1]!.id), quantity: 1 }, { id: gid("ProductVariant", CASE.variants[0]!.id), quantity: 1 }];
    const related = await admin(`mutation($input: [ProductVariantRelationshipUpdateInput!]!) { productVariantRelationshipBulkUpdate(input: $input) { parentProductVariants { id requiresComponents productVariantComponents(first: 5) { nodes { quantity productVariant { id } } } } userErrors { field message code } } }`,
      { input: [{ parentProductVariantId: parentVariant, productVariantRelationshipsToCreate: components }] });
    expect(related.productVariantRelationshipBulkUpdate.userErrors).toEqual([]);
    expect(related.productVariantRelationshipBulkUpdate.parentProductVariants[0].requiresComponents).toBe(true);
    expect(related.productVariantRelationshipBulkUpdate.parentProductVariants[0].productVariantComponents.nodes).toEqual(components.map((c) => ({ quantity: 1, productVariant: { id: c.id } })));
    const wrong = await admin(`mutation($input: [ProductVariantRelationshipUpdateInput!]!) { productVariantRelationshipBulkUpdate(input: $input) { userErrors { code } } }`,
      { input: [{ parentProductVariantId: parentVariant, productVariantRelationshipsToUpdate: [{ id: components[0]!.id, quantity: 0 }] }, { productVariantRelationshipsToCreate: components }] });
    expect(wrong.productVariantRelationshipBulkUpdate.userErrors.map((e: { code: string }) => e.code)).toEqual(["INVALID_QUANTITY", "PARENT_REQUIRED"]);

    // A product the app no longer needs goes with its metafields, and products/delete follows.
    const spare = await admin(`mutation { productCreate(product: { title: "Old set", metafields: [{ namespace: "$app:uplift", key: "bundle", type: "json", value: "{}" }] }) { product { id } userErrors { message } } }`);
    const spareId = spare.productCreate.product.id;
    expect(devshop.store.metafields(spareId)).toHaveLength(1);
    const deliveries = received.length;
    expect((await admin(`mutation($id: ID!) { productDelete(input: { id: $id }) { deletedProductId userErrors { field message } } }`, { id: spareId })).productDelete).toEqual({ deletedProductId: spareId, userErrors: [] });
    expect((await admin(`mutation($id: ID!) { productDelete(input: { id: $id }) { deletedProductId userErrors { field message } } }`, { id: spareId })).productDelete).toEqual({ deletedProductId: null, userErrors: [{ field: ["id"], message: "Product does not exist" }] });
    expect(devshop.store.metafields(spareId)).toEqual([]);
    for (let i = 0; i < 100 && !received.slice(deliveries).some((r) => r.topic === "products/delete"); i++) await new Promise((r) => setTimeout(r, 20));
    expect(JSON.parse(received.slice(deliveries).find((r) => r.topic === "products/delete")!.body)).toEqual({ id: idOf(spareId) });

    const create = `mutation($handle: String, $metafields: [MetafieldInput!]) { cartTransformCreate(functionHandle: $handle, blockOnFailure: false, metafields: $metafields) { cartTransform { id functionId blockOnFailure } userErrors { field message code } } }`;
    expect((await admin(create, { handle: "fixture-discount" })).cartTransformCreate.userErrors[0].code).toBe("FUNCTION_DOES_NOT_IMPLEMENT");
    expect((await admin(create, { handle: "missing" })).cartTransformCreate.userErrors[0].code).toBe("FUNCTION_NOT_FOUND");
    const made = await admin(create, { handle: "fixture-transform", metafields: [{ namespace: "$app:fixture", key: "config", type: "json", value: FIXTURE_CONFIG(parentVariant) }] });
    expect(made.cartTransformCreate.userErrors).toEqual([]);
    transformId = made.cartTransformCreate.cartTransform.id;
    expect(made.cartTransformCreate.cartTransform).toMatchObject({ id: expect.stringMatching(/^gid:\/\/shopify\/CartTransform\/\d+$/), blockOnFailure: false });
    expect((await admin(create, { handle: "fixture-transform" })).cartTransformCreate.userErrors).toEqual([{ field: ["functionHandle"], message: "Could not enable cart transform because it is already registered", code: "FUNCTION_ALREADY_REGISTERED" }]);
    // One per app and shop: another shop has its own.
    const other = await admin(create, { handle: "bundle-transform" }, SECOND);
    expect(other.cartTransformCreate.userErrors).toEqual([]);
    expect((await admin(`{ cartTransforms(first: 5) { nodes { functionId } } }`, {}, SECOND)).cartTransforms.nodes).toEqual([{ functionId: appFunctions(ROOTS).find((f) => f.handle === "bundle-transform")!.id }]);
    const listedTransforms = await admin(`{ cartTransforms(first: 5) { nodes { id functionId metafield(namespace: "$app:fixture", key: "config") { jsonValue } } } }`);
    expect(listedTransforms.cartTransforms.nodes).toEqual([{ id: transformId, functionId: appFunctions(ROOTS).find((f) => f.handle === "fixture-transform")!.id, metafield: { jsonValue: JSON.parse(FIXTURE_CONFIG(parentVariant)) } }]);
  });

  it("creates, finds and updates an automatic app discount with its metafields", async () => {
    const create = `mutation($d: DiscountAutomaticAppInput!) { discountAutomaticAppCreate(automaticAppDiscount: $d) { automaticAppDiscount { discountId title status discountClasses combinesWith { productDiscounts } } userErrors { field message code } } }`;
    const base = { title: "Fixture discount", functionHandle: "fixture-discount", discountClasses: ["PRODUCT"], startsAt: "2026-01-01T00:00:00Z", combinesWith: { productDiscounts: true } };
    expect((await admin(create, { d: { ...base, title: " " } })).discountAutomaticAppCreate.userErrors[0]).toMatchObject({ field: ["automaticAppDiscount", "title"], code: "BLANK" });
    expect((await admin(create, { d: { ...base, endsAt: "2025-01-01T00:00:00Z" } })).discountAutomaticAppCreate.userErrors[0].code).toBe("END_DATE_BEFORE_START_DATE");
    expect((await admin(create, { d: { ...base, functionHandle: "fixture-transform" } })).discountAutomaticAppCreate.userErrors[0].code).toBe("INVALID");
    const made = await admin(create, { d: { ...base, metafields: [{ namespace: "$app:fixture", key: "settings", type: "json", value: JSON.stringify({ message: "Fixture", tags: ["vip"] }) }] } });
    expect(made.discountAutomaticAppCreate.userErrors).toEqual([]);
    expect(made.discountAutomaticAppCreate.automaticAppDiscount).toMatchObject({ title: "Fixture discount", status: "ACTIVE", discountClasses: ["PRODUCT"], combinesWith: { productDiscounts: true } });
    discountId = made.discountAutomaticAppCreate.automaticAppDiscount.discountId;

    const found = await admin(`{ automaticDiscountNodes(first: 5, query: "type:app") { nodes { id metafield(namespace: "$app:fixture", key: "settings") { jsonValue } automaticDiscount { __typename ... on DiscountAutomaticApp { title appDiscountType { functionId } } } } } }`);
    expect(found.automaticDiscountNodes.nodes).toEqual([{ id: discountId, metafield: { jsonValue: { message: "Fixture", tags: ["vip"] } }, automaticDiscount: { __typename: "DiscountAutomaticApp", title: "Fixture discount", appDiscountType: { functionId: appFunctions(ROOTS).find((f) => f.handle === "fixture-discount")!.id } } }]);
    const nodes = await admin(`{ discountNodes(first: 5, query: "method:automatic") { nodes { id discount { ... on DiscountAutomaticApp { title } } } } }`);
    expect(nodes.discountNodes.nodes).toEqual([{ id: discountId, discount: { title: "Fixture discount" } }]);

    // metafieldsSet on the discount and the cart transform, as the offer sync keeps them current.
    const set = await admin(`mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { metafields { key ownerType } userErrors { field message code } } }`, {
      m: [{ ownerId: discountId, namespace: "$app:fixture", key: "settings", type: "json", value: JSON.stringify({ message: "Fixture", tags: ["vip"] }) },
        { ownerId: transformId, namespace: "$app:fixture", key: "config", type: "json", value: FIXTURE_CONFIG(parentVariant) },
        { ownerId: parentVariant, namespace: "$app:fixture", key: "note", type: "single_line_text_field", value: "parent" }],
    });
    expect(set.metafieldsSet.userErrors).toEqual([]);
    expect(set.metafieldsSet.metafields.map((m: { ownerType: string }) => m.ownerType)).toEqual(["DISCOUNT", "CARTTRANSFORM", "PRODUCTVARIANT"]);
    const deleted = await admin(`mutation($m: [MetafieldIdentifierInput!]!) { metafieldsDelete(metafields: $m) { deletedMetafields { ownerId key } userErrors { message } } }`, { m: [{ ownerId: parentVariant, namespace: "$app:fixture", key: "note" }] });
    expect(deleted.metafieldsDelete.deletedMetafields).toEqual([{ ownerId: parentVariant, key: "note" }]);
    const unknownOwner = await admin(`mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { userErrors { field code } } }`, { m: [{ ownerId: "gid://shopify/DiscountAutomaticNode/999", namespace: "$app:fixture", key: "settings", type: "json", value: "{}" }] });
    expect(unknownOwner.metafieldsSet.userErrors).toEqual([{ field: ["metafields", "0", "ownerId"], code: "INVALID" }]);

    const updated = await admin(`mutation($id: ID!, $d: DiscountAutomaticAppInput!) { discountAutomaticAppUpdate(id: $id, automaticAppDiscount: $d) { automaticAppDiscount { title } userErrors { code } } }`, { id: discountId, d: { title: "Fixture savings" } });
    expect(updated.discountAutomaticAppUpdate).toEqual({ automaticAppDiscount: { title: "Fixture savings" }, userErrors: [] });
  });
});

describe("a Function's input, from its own query", () => {
  const context = (lines: FunctionContext["lines"], owner: FunctionContext["owner"]): FunctionContext => ({
    store: devshop.store, currency: "EUR", language: "fr", attributes: {}, customerId: null, lines, owner,
  });
  const phoneLine = { id: "gid://shopify/CartLine/1", variantId: PHONE.variants[1]!.id, quantity: 1, attributes: { _fixture_merge: "1" }, amountPerQuantity: 58_900, compareAtAmountPerQuantity: null };

  it("answers exactly what the fixture's query asks, $app metafields included", () => {
    const fn = appFunctions(ROOTS).find((f) => f.handle === "fixture-transform")!;
    const schema = loadFunctionSchema("cart_transform");
    const input = buildFunctionInput(schema, fn.inputQuery, context([phoneLine], { type: "CartTransform", id: transformId }));
    expect(input).toEqual({
      cart: { lines: [{
        id: "gid://shopify/CartLine/1", quantity: 1, merge: { value: "1" }, mode: null,
        cost: { amountPerQuantity: { amount: "589.0", currencyCode: "EUR" }, subtotalAmount: { amount: "589.0" } },
        merchandise: { __typename: "ProductVariant", id: gid("ProductVariant", PHONE.variants[1]!.id), title: "128 GB", product: { id: gid("Product", PHONE.id), title: "Nimbus phone", handle: "nimbus-phone", hasAnyTag: false } },
      }] },
      cartTransform: { config: { jsonValue: JSON.parse(FIXTURE_CONFIG(parentVariant)) } },
      localization: { country: { isoCode: "FR" }, language: { isoCode: "FR" } },
      presentmentCurrencyRate: "1",
    });
    expect(validateInputShape(schema, fn.inputQuery, input)).toEqual([]);
  });

  it("builds the app's two Functions' inputs in the shape their queries ask, with input variables from the discount's metafield", () => {
    for (const handle of ["bundle-transform", "bundle-discount"]) {
      const fn = appFunctions(ROOTS).find((f) => f.handle === handle)!;
      const schema = loadFunctionSchema(fn.apiType);
      const owner: FunctionContext["owner"] = handle === "bundle-transform" ? { type: "CartTransform", id: transformId } : { type: "DiscountAutomaticNode", id: discountId, discountClasses: ["PRODUCT"] };
      const input = buildFunctionInput(schema, fn.inputQuery, context([phoneLine], owner), { tags: ["vip"] });
      expect(validateInputShape(schema, fn.inputQuery, input)).toEqual([]);
    }
  });

  it("answers the logged-in customer's tags and the cart's attributes", () => {
    devshop.store.put("customer", { id: 7_000_000_001, email: "ada@example.com", firstName: "Ada", lastName: "L", tags: ["vip"], createdAt: "2026-01-01T00:00:00Z" });
    const query = `query($tags: [String!]) { cart { arm: attribute(key: "_uplift_arm") { key value } buyerIdentity { isAuthenticated customer { id hasAnyTag(tags: $tags) hasTags(tags: $tags) { tag hasTag } } } cost { subtotalAmount { amount currencyCode } } } discount { discountClasses } }`;
    const schema = loadFunctionSchema("discount");
    const owner = { type: "DiscountAutomaticNode" as const, id: discountId, discountClasses: ["PRODUCT"] };
    const input = buildFunctionInput(schema, query, { ...context([phoneLine, { ...phoneLine, id: "gid://shopify/CartLine/2", quantity: 2 }], owner), customerId: 7_000_000_001, attributes: { _uplift_arm: "offers" } }, { tags: ["vip", "wholesale"] });
    expect(input).toEqual({
      cart: {
        arm: { key: "_uplift_arm", value: "offers" },
        buyerIdentity: { isAuthenticated: true, customer: { id: "gid://shopify/Customer/7000000001", hasAnyTag: true, hasTags: [{ tag: "vip", hasTag: true }, { tag: "wholesale", hasTag: false }] } },
        cost: { subtotalAmount: { amount: "1767.0", currencyCode: "EUR" } },
      },
      discount: { discountClasses: ["PRODUCT"] },
    });
    const anonymous = buildFunctionInput(schema, query, context([], owner), { tags: ["vip"] });
    expect(anonymous.cart).toMatchObject({ arm: null, buyerIdentity: { isAuthenticated: false, customer: null } });
  });

  it("fails loudly on a field the stand-in does not answer, and leaves out metafields over 10,000 bytes", () => {
    const schema = loadFunctionSchema("discount");
    expect(() => buildFunctionInput(schema, "query { shop { localTime { date } } }", context([], { type: "DiscountAutomaticNode", id: discountId, discountClasses: ["PRODUCT"] })))
      .toThrow(FunctionInputError);
    expect(() => buildFunctionInput(schema, "query { cart { nope } }", context([], { type: "DiscountAutomaticNode", id: discountId, discountClasses: ["PRODUCT"] }))).toThrow(/does not validate/);
    devshop.store.setMetafield({ ownerId: gid("Product", PHONE.id), namespace: resolveNamespace("$app:fixture"), key: "big", type: "json", value: JSON.stringify({ pad: "x".repeat(10_001) }), updatedAt: new Date().toISOString() });
    const input = buildFunctionInput(loadFunctionSchema("cart_transform"), `query { cart { lines { merchandise { ... on ProductVariant { product { big: metafield(namespace: "$app:fixture", key: "big") { value } } } } } } }`, context([phoneLine], { type: "CartTransform", id: transformId }));
    expect(input).toEqual({ cart: { lines: [{ merchandise: { product: { big: null } } }] } });
    devshop.store.deleteMetafield(gid("Product", PHONE.id), resolveNamespace("$app:fixture"), "big");
  });
});

describe("the checkout runs the Functions", () => {
  /** Phone and case to merge, two chargers with a 10 % candidate. */
  async function cart(currency: "EUR" | "USD", extra: Record<string, string> = {}) {
    const s = shopper(devshop.url);
    if (currency === "USD") await s.page("/cart?currency=USD");
    expect((await s.json("/cart/add.js", { items: [
      { id: PHONE.variants[1]!.id, quantity: 1, properties: { _fixture_merge: "1", Engraving: "For Ada", ...extra } },
      { id: CASE.variants[0]!.id, quantity: 1, properties: { _fixture_merge: "1" } },
      { id: CHARGER.variants[0]!.id, quantity: 1, properties: { _fixture_discount: "percent:10" } },
    ] })).status).toBe(200);
    return s;
  }

  it("shows the merged bundle and the discount and charges them in EUR, exactly", async () => {
    const s = await cart("EUR");
    const checkout = await checkOut(s);
    const page = await s.page(checkout);
    const t = text(page);
    // 589.00 + 29.00 = 618.00, less 10 % = 556.20; the charger 39.00 less 10 % = 35.10.
    expect(t).toContain("Fixture bundle Includes: 1 × Nimbus phone - 128 GB 1 × Nimbus case 1 €556.20");
    expect(t).toContain("Nimbus charger Fixture percent:10 (-€3.90) 1 Before discounts: €39.00 €35.10");
    expect(t).toContain("Subtotal €595.20 Discounts: Fixture percent:10 -€3.90 Total €591.30");
    expect(page).not.toContain("_fixture");

    const order = await pay(checkout);
    expect(order).toMatchObject({ currency: "EUR", presentment_currency: "EUR", total_line_items_price: "595.20", total_discounts: "3.90", subtotal_price: "591.30", total_price: "591.30" });
    expect(order.discount_applications).toEqual([{ type: "automatic", title: "Fixture savings", description: "Fixture percent:10", value: "10", value_type: "percentage", allocation_method: "across", target_selection: "entitled", target_type: "line_item" }]);
    // Lines left as they were first, then the merged bundle's components.
    const [charger, phone, case_] = order.line_items;
    // The bundle's components, grouped, at their share of its price (556.20 split 589 : 29), properties kept.
    expect([phone!.variant_id, phone!.price, phone!.sales_line_item_group_id !== null, phone!.properties]).toEqual([PHONE.variants[1]!.id, "530.10", true, [{ name: "_fixture_merge", value: "1" }, { name: "Engraving", value: "For Ada" }]]);
    expect([case_!.variant_id, case_!.price, case_!.sales_line_item_group_id]).toEqual([CASE.variants[0]!.id, "26.10", phone!.sales_line_item_group_id]);
    expect([charger!.price, charger!.total_discount, charger!.discount_allocations, charger!.sales_line_item_group_id]).toEqual(["39.00", "3.90", [{ amount: "3.90", amount_set: expect.anything(), discount_application_index: 0 }], null]);

    // Admin GraphQL answers the same order with its discounts.
    const graph = await admin(`query($id: ID!) { order(id: $id) { totalPriceSet { shopMoney { amount } } totalDiscountsSet { shopMoney { amount } }
      discountApplications(first: 5) { nodes { __typename allocationMethod value { ... on PricingPercentageValue { percentage } } ... on AutomaticDiscountApplication { title } } }
      lineItems(first: 5) { nodes { title lineItemGroup { title quantity } discountAllocations { allocatedAmountSet { shopMoney { amount } } discountApplication { index } } } } } }`, { id: gid("Order", order.id) });
    expect(graph.order).toEqual({
      totalPriceSet: { shopMoney: { amount: "591.30" } }, totalDiscountsSet: { shopMoney: { amount: "3.90" } },
      discountApplications: { nodes: [{ __typename: "AutomaticDiscountApplication", title: "Fixture savings", allocationMethod: "ACROSS", value: { percentage: 10 } }] },
      lineItems: { nodes: [
        { title: "Nimbus charger", lineItemGroup: null, discountAllocations: [{ allocatedAmountSet: { shopMoney: { amount: "3.90" } }, discountApplication: { index: 0 } }] },
        { title: "Nimbus phone - 128 GB", lineItemGroup: { title: "Fixture bundle", quantity: 1 }, discountAllocations: [] },
        { title: "Nimbus case", lineItemGroup: { title: "Fixture bundle", quantity: 1 }, discountAllocations: [] },
      ] },
    });

    const completed = pixelEvents(await s.page(`${checkout}/thank-you`))[0]!.data as PixelEventsCheckoutCompletedData;
    expect(completed.checkout.discountsAmount).toEqual({ amount: 3.9, currencyCode: "EUR" });
    expect(completed.checkout.totalPrice).toEqual({ amount: 591.3, currencyCode: "EUR" });
    expect(completed.checkout.discountApplications).toEqual([expect.objectContaining({ title: "Fixture percent:10", type: "AUTOMATIC", value: { percentage: 10 } })]);
    expect(completed.checkout.lineItems.map((l) => [l.title, l.finalLinePrice?.amount, l.discountAllocations.map((a) => a.amount.amount)])).toEqual([["Nimbus charger", 35.1, [3.9]], ["Fixture bundle", 556.2, []]]);
  });

  it("charges the same in USD at the market's prices", async () => {
    const s = await cart("USD");
    const checkout = await checkOut(s);
    const phone = presentmentPrice(58_900, "USD", "EUR");
    const case_ = presentmentPrice(2_900, "USD", "EUR");
    const charger = presentmentPrice(3_900, "USD", "EUR");
    expect([phone, case_, charger]).toEqual([63_699, 3_199, 4_299]);
    // (636.99 + 31.99) = 668.98, less 10 % (66.898, half up 66.90) = 602.08; 42.99 less 4.30 = 38.69.
    const t = text(await s.page(checkout));
    expect(t).toContain("Subtotal $645.07 Discounts: Fixture percent:10 -$4.30 Total $640.77");
    const order = await pay(checkout);
    expect(order.presentment_currency).toBe("USD");
    expect(order.total_price_set.presentment_money).toEqual({ amount: "640.77", currency_code: "USD" });
    // 602.08 split 636.99 : 31.99 (573.289… and 28.790…, the cent left to the larger remainder).
    expect(order.line_items.map((l) => l.price_set.presentment_money.amount)).toEqual(["42.99", "573.29", "28.79"]);
    // The shop's money: the charger's own price; what the Functions priced, converted back at the market's rate (1.08).
    expect(order.line_items.map((l) => l.price)).toEqual(["39.00", "530.82", "26.66"]);
  });

  it("says it in the shopper's language", async () => {
    const s = await cart("EUR");
    await s.page("/fr/cart");
    const started = await fetch(`${devshop.url}/fr/checkout`, { redirect: "manual", headers: { cookie: cookie(s) } });
    const page = await s.page(started.headers.get("location")!);
    const t = text(page);
    expect(page).toContain('<html lang="fr">');
    expect(t).toContain("Fixture bundle Comprend: 1 × Nimbus phone - 128 GB 1 × Nimbus case 1 556,20 €");
    expect(t).toContain("Sous-total 595,20 € Réductions: Fixture percent:10 -3,90 € Total 591,30 €");
    expect(t).toContain("Avant réductions: 39,00 € 35,10 €");
  });

  it("refuses output that does not validate and goes on without a Function that throws", async () => {
    const logs: string[] = [];
    const host = createFunctionHost({ roots: ROOTS, log: (m) => logs.push(m) });
    const lines = [
      { key: "a", variantId: PHONE.variants[1]!.id, quantity: 1, price: 58_900, properties: [{ name: "_fixture_merge", value: "1" }, { name: "_fixture", value: "invalid" }] },
      { key: "b", variantId: CASE.variants[0]!.id, quantity: 1, price: 2_900, properties: [{ name: "_fixture_merge", value: "1" }] },
    ];
    const priced = await host.price(devshop.store, { currency: "EUR", locale: "en", lines, attributes: {}, customerId: null });
    expect(priced.runs[0]).toMatchObject({ handle: "fixture-transform", ok: false, error: expect.stringMatching(/does not validate against CartTransformRunResult/) });
    expect(priced.lines.map((l) => l.kind)).toEqual(["line", "line"]);
    expect(priced.total).toBe(61_800);
    expect(logs[0]).toMatch(/Function fixture-transform for gid:\/\/shopify\/CartTransform\/\d+ failed, its operations are ignored/);

    const thrown = await host.price(devshop.store, { currency: "EUR", locale: "en", lines: [{ ...lines[0]!, properties: [{ name: "_fixture", value: "throw" }] }, lines[1]!], attributes: {}, customerId: null });
    expect(thrown.runs[0]).toMatchObject({ ok: false, error: expect.stringMatching(/fixture failure/) });

    // An input over Shopify's 64,000 bytes fails the run: seven lines each bringing a 9,500-byte metafield.
    devshop.store.setMetafield({ ownerId: gid("Product", PHONE.id), namespace: resolveNamespace("$app:fixture"), key: "discounts", type: "json", value: JSON.stringify({ pad: "x".repeat(9_490) }), updatedAt: new Date().toISOString() });
    try {
      const many = Array.from({ length: 7 }, (_, i) => ({ key: `k${i}`, variantId: PHONE.variants[1]!.id, quantity: 1, price: 58_900, properties: [{ name: "n", value: String(i) }] }));
      const big = await host.price(devshop.store, { currency: "EUR", locale: "en", lines: many, attributes: {}, customerId: null });
      const run = big.runs.find((r) => r.handle === "fixture-discount")!;
      expect(run).toMatchObject({ ok: false, error: expect.stringMatching(/over Shopify's limit of 64000/) });
      expect(run.inputBytes).toBeGreaterThan(64_000);
      expect(big.total).toBe(7 * 58_900);
    } finally {
      devshop.store.deleteMetafield(gid("Product", PHONE.id), resolveNamespace("$app:fixture"), "discounts");
    }

    // Through the shop: the checkout shows and takes the order at the lines' own prices.
    const s = await cart("EUR", { _fixture: "throw" });
    const checkout = await checkOut(s);
    expect(text(await s.page(checkout))).toContain("Total €653.10"); // 589.00 + 29.00 + 39.00 - 3.90 (the discount still runs)
    const order = await pay(checkout);
    expect(order.total_price).toBe("653.10");
    expect(order.line_items.every((l) => l.sales_line_item_group_id === null)).toBe(true);

    // Unless the cart transform was created with blockOnFailure: then the checkout cannot be paid.
    devshop.store.db.prepare("UPDATE cart_transforms SET block_on_failure = 1").run();
    try {
      const blocked = await cart("EUR", { _fixture: "throw" });
      const at = await checkOut(blocked);
      const page = await blocked.page(at);
      expect(page).toContain('<p role="alert" data-checkout-blocked>This order can\'t be completed right now. Please try again later.</p>');
      expect(page).not.toContain("Pay now");
      const orders = devshop.store.orders.size;
      expect((await fetch(devshop.url + at, { method: "POST", redirect: "manual", body: "" })).status).toBe(409);
      expect(devshop.store.orders.size).toBe(orders);
    } finally {
      devshop.store.db.prepare("UPDATE cart_transforms SET block_on_failure = 0").run();
    }
  });
});

describe("the app's own Functions at checkout", () => {
  it("merges a fixed bundle and gives a quantity tier through bundle-transform and bundle-discount", async () => {
    // Swap the fixtures for the app's Functions, as the app's install does.
    expect((await admin(`mutation($id: ID!) { cartTransformDelete(id: $id) { deletedId userErrors { code } } }`, { id: transformId })).cartTransformDelete).toEqual({ deletedId: transformId, userErrors: [] });
    expect((await admin(`mutation($id: ID!) { discountAutomaticDelete(id: $id) { deletedAutomaticDiscountId userErrors { code } } }`, { id: discountId })).discountAutomaticDelete.deletedAutomaticDiscountId).toBe(discountId);
    const settings = { v: 1, tags: [], messages: { en: { tiers: "Buy more, save", fbt: "Bought together", gift: "Free gift" } } };
    const made = await admin(`mutation { cartTransformCreate(functionHandle: "bundle-transform") { cartTransform { id } userErrors { code } } discountAutomaticAppCreate(automaticAppDiscount: { title: "Uplift", functionHandle: "bundle-discount", discountClasses: [PRODUCT], metafields: [{ namespace: "$app:uplift", key: "settings", type: "json", value: ${JSON.stringify(JSON.stringify(settings))} }] }) { automaticAppDiscount { discountId } userErrors { code } } }`);
    expect([made.cartTransformCreate.userErrors, made.discountAutomaticAppCreate.userErrors]).toEqual([[], []]);
    const rule = { k: "fixed", id: "bundle-1", r: 0, items: [{ p: gid("Product", PHONE.id), v: null, q: 1 }, { p: gid("Product", CASE.id), v: null, q: 1 }], off: { bp: 1000 }, pv: parentVariant, title: "Phone set", img: null };
    const tiers = { v: 1, rules: [{ k: "tiers", id: "tier-1", r: 1, tiers: [{ min: 2, off: { bp: 500 } }] }] };
    const set = await admin(`mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { userErrors { message } } }`, { m: [
      { ownerId: gid("Product", PHONE.id), namespace: "$app:uplift", key: "bundles", type: "json", value: JSON.stringify({ v: 1, rules: [rule] }) },
      { ownerId: gid("Product", CASE.id), namespace: "$app:uplift", key: "bundles", type: "json", value: JSON.stringify({ v: 1, rules: [rule] }) },
      { ownerId: gid("Product", CHARGER.id), namespace: "$app:uplift", key: "discounts", type: "json", value: JSON.stringify(tiers) },
    ] });
    expect(set.metafieldsSet.userErrors).toEqual([]);

    devshop.store.put("product", { ...CHARGER, variants: CHARGER.variants.map((v) => ({ ...v, inventoryQuantity: 10 })) });
    const s = shopper(devshop.url);
    expect((await s.json("/cart/add.js", { items: [
      { id: PHONE.variants[1]!.id, quantity: 1, properties: { _uplift_offer: "bundle-1" } },
      { id: CASE.variants[0]!.id, quantity: 1, properties: { _uplift_offer: "bundle-1" } },
      { id: CHARGER.variants[0]!.id, quantity: 2 },
    ] })).status).toBe(200);
    const checkout = await checkOut(s);
    const t = text(await s.page(checkout));
    // The bundle at 556.20 (618.00 less 10 %); two chargers at 5 % off each: 2 × 1.95.
    expect(t).toContain("Phone set Includes: 1 × Nimbus phone - 128 GB 1 × Nimbus case 1 €556.20");
    expect(t).toContain("Subtotal €634.20 Discounts: Buy more, save -€3.90 Total €630.30");
    const order = await pay(checkout);
    expect([order.total_price, order.total_discounts]).toEqual(["630.30", "3.90"]);
    expect(order.line_items.map((l) => [l.variant_id, l.quantity, l.price, l.total_discount])).toEqual([
      [CHARGER.variants[0]!.id, 2, "39.00", "3.90"], [PHONE.variants[1]!.id, 1, "530.10", "0.00"], [CASE.variants[0]!.id, 1, "26.10", "0.00"],
    ]);
  });

  it("expands a bundle parent added directly into its components at their prices", async () => {
    const parent = devshop.store.products.get(idOf(parentProduct))!;
    devshop.store.put("product", { ...parent, variants: parent.variants.map((v) => ({ ...v, inventoryQuantity: 10 })) });
    const bundle = { v: 1, id: "bundle-1", items: [
      { v: gid("ProductVariant", PHONE.variants[1]!.id), q: 1, price: { EUR: 53_010, USD: 57_329 } },
      { v: gid("ProductVariant", CASE.variants[0]!.id), q: 1, price: { EUR: 2_610, USD: 2_879 } },
    ] };
    const set = await admin(`mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { userErrors { message } } }`, { m: [
      { ownerId: parentVariant, namespace: "$app:uplift", key: "bundle", type: "json", value: JSON.stringify(bundle) },
    ] });
    expect(set.metafieldsSet.userErrors).toEqual([]);
    const s = shopper(devshop.url);
    expect((await s.json("/cart/add.js", { items: [{ id: idOf(parentVariant), quantity: 2, properties: { Gift: "yes" } }] })).status).toBe(200);
    const checkout = await checkOut(s);
    const t = text(await s.page(checkout));
    expect(t).toContain("Phone set Gift: yes Includes: 2 × Nimbus phone - 128 GB 2 × Nimbus case 2 €1,112.40");
    expect(t).toContain("Total €1,112.40");
    const order = await pay(checkout);
    expect(order.total_price).toBe("1112.40");
    expect(order.line_items.map((l) => [l.variant_id, l.quantity, l.price])).toEqual([[PHONE.variants[1]!.id, 2, "530.10"], [CASE.variants[0]!.id, 2, "26.10"]]);
    expect(new Set(order.line_items.map((l) => l.sales_line_item_group_id)).size).toBe(1);
    expect(order.line_items[0]!.sales_line_item_group_id).not.toBeNull();
  });

  it("leaves nothing of the app behind on uninstall: cart transform, app discounts, $app metafields", async () => {
    devshop.store.setMetafield({ ownerId: gid("Product", PHONE.id), namespace: "custom", key: "material", type: "single_line_text_field", value: "glass", updatedAt: new Date().toISOString() });
    const res = await fetch(`${devshop.url}/devshop/shops/${devshop.shop}/uninstall`, { method: "POST" });
    expect(res.status).toBe(200);
    const owners = functionOwners(devshop.store);
    expect([owners.cartTransforms(), owners.discounts()]).toEqual([[], []]);
    expect(functionOwners(devshop.storeFor(SECOND)).cartTransforms()).toHaveLength(1); // another shop keeps its own
    const left = (ownerId: string) => devshop.store.metafields(ownerId).map((m) => `${m.namespace}.${m.key}`);
    expect(left(gid("Product", PHONE.id))).toEqual(["custom.material"]);
    expect(left(gid("Product", CHARGER.id))).toEqual([]);
    expect(left(parentVariant)).toEqual([]);
  });
});
