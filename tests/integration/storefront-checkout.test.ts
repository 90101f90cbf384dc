import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PixelEventsCheckoutCompletedData } from "@shopify/web-pixels-extension";
import { formatMoney } from "../devshop/storefront/liquid.ts";
import { presentmentPrice } from "../devshop/markets.ts";
import { CASE, PHONE, shopper, startShop } from "./support/storefront";

// The stand-in's checkout: the cart's "Check out" leads to a checkout of the cart's lines;
// "Pay now" places one order as Shopify's checkout does (line items with their properties,
// the cart's attributes as note_attributes), sends orders/create once to where the app
// subscribed (shopify.app.toml), ends the cart, and hands the thank-you page's web pixels
// checkout_completed once. What the app does with them is tested in pixel.test.ts and
// webhooks.test.ts; here, what Shopify sends.
const SECRET = "checkout-test-secret";
let shop: Awaited<ReturnType<typeof startShop>>;
let base: string;
let receiver: Server;
const received: { topic: string; hmac: string; body: string }[] = [];

beforeAll(async () => {
  // Where the app would be: records what the stand-in delivers.
  receiver = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    received.push({ topic: String(req.headers["x-shopify-topic"]), hmac: String(req.headers["x-shopify-hmac-sha256"]), body: Buffer.concat(chunks).toString("utf8") });
    res.writeHead(200).end();
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  shop = await startShop({ url: `http://127.0.0.1:${(receiver.address() as { port: number }).port}`, secret: SECRET });
  base = shop.devshop.url;
});
afterAll(async () => {
  await shop.stop();
  await new Promise((resolve) => receiver.close(resolve));
});

/** The page's web pixel events (the manager's setup, as the stand-in embeds it). */
const pixelEvents = (html: string) => {
  const json = /<script type="application\/json" id="web-pixels-manager-setup">([\s\S]*?)<\/script>/.exec(html);
  return json ? (JSON.parse(json[1]!) as { events: { name: string; data: unknown }[] }).events : [];
};
const text = (html: string) => html.replace(/<(script|style)[\s\S]*?<\/\1>/g, "").replace(/<[^>]+>/g, " ").replace(/&#39;/g, "'").replace(/[ \t\r\n]+/g, " ");
const until = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
};

/** A shopper's cart: the phone from a bundle (hidden properties and a visible one), a case, the visitor's attributes, a note. */
async function filledCart() {
  const s = shopper(base);
  expect((await s.json("/cart/add.js", { items: [
    { id: PHONE.variants[1]!.id, quantity: 1, properties: { _uplift_offer: "bundle-1", _uplift_version: "a", Engraving: "For Ada" } },
    { id: CASE.variants[0]!.id, quantity: 2 },
  ] })).status).toBe(200);
  expect((await s.json("/cart/update.js", { attributes: { _uplift_visitor: "visitor-1", _uplift_arm: "offers" }, note: "Gift wrap, please" })).status).toBe(200);
  return s;
}

/** Follows the cart page's "Check out" form to the checkout page; its address. */
async function checkOut(s: ReturnType<typeof shopper>, root = "/") {
  const cartPage = await s.page(`${root}cart`);
  expect(cartPage).toMatch(/<form action="\/(fr\/)?cart" method="post"><button type="submit" name="checkout">/);
  const posted = await fetch(`${base}${root}cart`, { method: "POST", redirect: "manual", headers: { "Content-Type": "application/x-www-form-urlencoded", cookie: Object.entries(s.cookies).map(([k, v]) => `${k}=${v}`).join("; ") }, body: "checkout=" });
  expect(posted.status).toBe(302);
  expect(posted.headers.get("location")).toBe(`${root}checkout`);
  const started = await fetch(`${base}${root}checkout`, { redirect: "manual", headers: { cookie: Object.entries(s.cookies).map(([k, v]) => `${k}=${v}`).join("; ") } });
  expect(started.status).toBe(302);
  const location = started.headers.get("location")!;
  expect(location).toMatch(/^\/checkouts\/cn\/[a-f0-9]{32}$/);
  return location;
}

describe("the stand-in's checkout", () => {
  it("places one order with the lines' properties and the cart's attributes, delivers orders/create once, and ends the cart", async () => {
    const s = await filledCart();
    const ordersBefore = shop.devshop.store.orders.size;
    const checkout = await checkOut(s);

    // The lines with what the shopper may see of their properties (not the app's "_" ones).
    const page = await s.page(checkout);
    const t = text(page);
    expect(t).toContain("Nimbus phone - 128 GB Engraving: For Ada 1 €589.00");
    expect(t).toContain("Nimbus case 2 €58.00");
    expect(t).toContain("Total €647.00");
    expect(page).not.toContain("_uplift");
    expect(page).toContain('<button type="submit">Pay now</button>');

    const paid = await fetch(base + checkout, { method: "POST", redirect: "manual", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "" });
    expect(paid.status).toBe(303);
    expect(paid.headers.get("location")).toBe(`${checkout}/thank-you`);
    // Paying again (a double click, a resubmitted form) makes no second order.
    expect((await fetch(base + checkout, { method: "POST", redirect: "manual", body: "" })).status).toBe(303);

    expect(shop.devshop.store.orders.size).toBe(ordersBefore + 1);
    const order = [...shop.devshop.store.orders.values()].at(-1)!;
    expect(order.lines.map((l) => [l.variantId, l.quantity, l.properties])).toEqual([
      [PHONE.variants[1]!.id, 1, [{ name: "_uplift_offer", value: "bundle-1" }, { name: "_uplift_version", value: "a" }, { name: "Engraving", value: "For Ada" }]],
      [CASE.variants[0]!.id, 2, []],
    ]);
    expect(order.noteAttributes).toEqual([{ name: "_uplift_visitor", value: "visitor-1" }, { name: "_uplift_arm", value: "offers" }]);

    // orders/create, once, signed, in Shopify's REST shape.
    await until(() => received.some((r) => r.topic === "orders/create"));
    await new Promise((resolve) => setTimeout(resolve, 200)); // a second delivery would be here by now
    const deliveries = received.filter((r) => r.topic === "orders/create");
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]!.hmac).toBe(createHmac("sha256", SECRET).update(deliveries[0]!.body).digest("base64"));
    const rest = JSON.parse(deliveries[0]!.body) as { id: number; note: string; note_attributes: unknown; line_items: { variant_id: number; properties: unknown; price: string }[] };
    expect(rest.id).toBe(order.id);
    expect(rest.note).toBe("Gift wrap, please");
    expect(rest.note_attributes).toEqual([{ name: "_uplift_visitor", value: "visitor-1" }, { name: "_uplift_arm", value: "offers" }]);
    expect(rest.line_items.map((l) => [l.variant_id, l.properties, l.price])).toEqual([
      [PHONE.variants[1]!.id, [{ name: "_uplift_offer", value: "bundle-1" }, { name: "_uplift_version", value: "a" }, { name: "Engraving", value: "For Ada" }], "589.00"],
      [CASE.variants[0]!.id, [], "29.00"],
    ]);

    // The cart is done.
    const cart = (await s.json("/cart.js")).body as { items: unknown[]; attributes: Record<string, string>; note: string };
    expect(cart.items).toEqual([]);
    expect(cart.attributes).toEqual({});
    expect(cart.note).toBe("");
    // The checkout, once paid, shows its thank-you page.
    const again = await fetch(base + checkout, { redirect: "manual" });
    expect(again.headers.get("location")).toBe(`${checkout}/thank-you`);
  });

  it("hands the thank-you page's web pixels checkout_completed in Shopify's shape, on its first view only", async () => {
    const s = await filledCart();
    const checkout = await checkOut(s);
    // Before paying there is no thank-you page.
    expect((await fetch(`${base}${checkout}/thank-you`, { redirect: "manual" })).headers.get("location")).toBe(checkout);
    await fetch(base + checkout, { method: "POST", redirect: "manual", body: "" });
    const order = [...shop.devshop.store.orders.values()].at(-1)!;

    const thanks = await s.page(`${checkout}/thank-you`);
    expect(text(thanks)).toContain(`Your order ${order.name} is confirmed.`);
    const events = pixelEvents(thanks);
    expect(events.map((e) => e.name)).toEqual(["checkout_completed"]);
    const completed = events[0]!.data as PixelEventsCheckoutCompletedData;
    expect(completed.checkout).toMatchObject({
      token: checkout.split("/").pop(), currencyCode: "EUR",
      order: { id: String(order.id), customer: null },
      totalPrice: { amount: 647, currencyCode: "EUR" }, subtotalPrice: { amount: 647, currencyCode: "EUR" },
      attributes: [{ key: "_uplift_visitor", value: "visitor-1" }, { key: "_uplift_arm", value: "offers" }],
    });
    expect(completed.checkout.lineItems).toHaveLength(2);
    expect(completed.checkout.lineItems[0]).toMatchObject({
      title: "Nimbus phone", quantity: 1, finalLinePrice: { amount: 589, currencyCode: "EUR" },
      properties: [{ key: "_uplift_offer", value: "bundle-1" }, { key: "_uplift_version", value: "a" }, { key: "Engraving", value: "For Ada" }],
      variant: { id: String(PHONE.variants[1]!.id), title: "128 GB", price: { amount: 589, currencyCode: "EUR" }, product: { id: String(PHONE.id), title: "Nimbus phone" } },
    });
    // Shopify fires it once per checkout: a reload of the thank-you page sends nothing more.
    expect(pixelEvents(await s.page(`${checkout}/thank-you`))).toEqual([]);
  });

  it("speaks the shopper's language and currency, and sends an empty cart back to the cart page", async () => {
    const s = await filledCart();
    await s.page("/fr/cart?currency=USD");
    const checkout = await checkOut(s, "/fr/");
    const t = text(await s.page(checkout));
    expect(t).toContain("Payer maintenant");
    // 589.00 € and 2 × 29.00 € in the US market (its rate and rounding), as the cart charges them.
    expect(t).toContain(`Total ${formatMoney(presentmentPrice(58900, "USD", "EUR") + 2 * presentmentPrice(2900, "USD", "EUR"), { locale: "fr", currency: "USD" })}`);
    await fetch(base + checkout, { method: "POST", redirect: "manual", body: "" });
    const completed = pixelEvents(await s.page(`${checkout}/thank-you`))[0]!.data as PixelEventsCheckoutCompletedData;
    expect(completed.checkout.totalPrice).toEqual({ amount: (presentmentPrice(58900, "USD", "EUR") + 2 * presentmentPrice(2900, "USD", "EUR")) / 100, currencyCode: "USD" });
    expect(completed.checkout.localization.language.isoCode).toBe("FR");

    const empty = await fetch(`${base}/checkout`, { redirect: "manual", headers: { cookie: Object.entries(s.cookies).map(([k, v]) => `${k}=${v}`).join("; ") } });
    expect(empty.status).toBe(302);
    expect(empty.headers.get("location")).toBe("/cart");
    expect((await fetch(`${base}/checkouts/cn/0123abcd`)).status).toBe(404);
  });
});
