import { createServer } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import "@shopify/shopify-api/adapters/node";
import { ApiVersion, shopifyApi } from "@shopify/shopify-api";
import { formatMoney } from "../devshop/storefront/liquid.ts";
import { BUNDLE, CASE, CHARGER, LADDER, PHONE, SETTINGS, shopper, startShop, writeOffers } from "./support/storefront";

// The theme app extension's blocks, rendered by the stand-in's Liquid theme from the
// metafields the offer sync writes, in two languages and two currencies; and the Ajax Cart
// API they add through. (USD prices are the stand-in's US market's: its fixed rate, then its
// rounding up to .99, as tests/devshop/markets.ts and the README say.)
let shop: Awaited<ReturnType<typeof startShop>>;
let base: string;

beforeAll(async () => {
  shop = await startShop();
  base = shop.devshop.url;
});
afterAll(() => shop.stop());
beforeEach(() => writeOffers(shop.devshop, [BUNDLE, LADDER]));

/** The page's visible text, tags dropped and spaces collapsed. */
const text = (html: string) => html.replace(/<(script|style)[\s\S]*?<\/\1>/g, "").replace(/<[^>]+>/g, " ").replace(/&#39;/g, "'").replace(/[ \t\r\n]+/g, " "); // Intl keeps its no-break spaces
/** The block of that kind on the page ("" when there is none). */
const section = (html: string, kind: string) => [...html.matchAll(/<section class="uplift[\s\S]*?<\/section>/g)].map((m) => m[0]).find((s) => s.includes(`data-uplift-kind="${kind}"`)) ?? "";
const money = (minor: number, locale: string, currency: string) => formatMoney(minor, { locale, currency });

describe("the bundle block", () => {
  it("shows each item with its price, the total and the saving, in English and euros", async () => {
    const html = section(await shopper(base).page(`/products/${PHONE.handle}`), "bundle");
    // The 64 GB is sold out: the 128 GB (589.00) + case (29.00) + charger (39.00), 10 % off.
    const t = text(html);
    expect(t).toContain("Complete your phone");
    expect(t).toContain("The full kit"); // every A/B version is on the cached page; CSS shows one
    expect(t).toContain(`This item: ${PHONE.title}`);
    for (const item of [CASE, CHARGER]) expect(t).toContain(item.title);
    expect(t).toContain(`Total: ${money(59130, "en", "EUR")}`);
    expect(t).toContain(`Regular price: ${money(65700, "en", "EUR")}`);
    expect(t).toContain(`You save ${money(6570, "en", "EUR")}`);
    expect(t).toContain("Add all to cart");
    expect(html).toContain('data-uplift-v="bundle-1:a"');
    expect(html).toContain('data-uplift-v="bundle-1:b"');
    // The phone's variants, the sold-out one not choosable; its 128 GB chosen.
    expect(html).toMatch(/<option value="10" data-price="51900" disabled>64 GB \(sold out\)<\/option>/);
    expect(html).toMatch(/<option value="11" data-price="58900" selected>128 GB<\/option>/);
    expect(html).toMatch(/aria-label="Variant of Nimbus phone"/);
  });

  it("speaks French on /fr and prices in dollars with ?currency=USD", async () => {
    const frPage = await shopper(base).page(`/fr/products/${PHONE.handle}`);
    expect(frPage).toContain('<html lang="fr">');
    expect(frPage).toContain(`<a href="/products/${PHONE.handle}" lang="en">English</a>`);
    const fr = text(section(frPage, "bundle"));
    expect(fr).toContain("Tout ajouter au panier");
    expect(fr).toContain(`Vous économisez ${money(6570, "fr", "EUR")}`);
    expect(money(6570, "fr", "EUR")).toMatch(/^65,70\s€$/);

    const usd = text(section(await shopper(base).page(`/products/${PHONE.handle}?currency=USD`), "bundle"));
    // 589.00 €, 29.00 €, 39.00 € at the fixed 1.08 are 636.12, 31.32, 42.12 $, which the US
    // market rounds up to 636.99 + 31.99 + 42.99 = 711.97 $; 10 % off.
    expect(usd).toContain(`Total: ${money(64078, "en", "USD")}`);
    expect(usd).toContain("$640.78");
    const frUsd = text(section(await shopper(base).page(`/fr/products/${PHONE.handle}?currency=USD`), "bundle"));
    expect(frUsd).toContain(`Total : ${money(64078, "fr", "USD")}`);
  });

  it("is gone when the offer has ended, is not yet live, or the product has no offers", async () => {
    writeOffers(shop.devshop, [{ ...BUNDLE, schedule: { startsAt: null, endsAt: Date.now() + 1000 } }], Date.now());
    const live = await shopper(base).page(`/products/${PHONE.handle}`);
    expect(section(live, "bundle")).not.toBe("");
    // The sync wrote it while live; the cached page checks the dates itself.
    writeOffers(shop.devshop, [{ ...BUNDLE, schedule: { startsAt: null, endsAt: Date.now() + 1000 } }], Date.now() - 5000);
    await new Promise((r) => setTimeout(r, 1100));
    expect(section(await shopper(base).page(`/products/${PHONE.handle}`), "bundle")).toBe("");
    writeOffers(shop.devshop, [{ ...BUNDLE, schedule: { startsAt: Date.now() + 3_600_000, endsAt: null } }], Date.now() + 3_600_000);
    expect(section(await shopper(base).page(`/products/${PHONE.handle}`), "bundle")).toBe("");
    expect(section(await shopper(base).page(`/products/${CASE.handle}`), "bundle")).toBe("");
  });
});

describe("the upgrade block", () => {
  it("offers the next rung with what it adds and what it costs more, in both languages", async () => {
    // The page proposes from the first variant that can be bought (128 GB) to the next rung.
    const en = section(await shopper(base).page(`/products/${PHONE.handle}`), "upgrade");
    expect(text(en)).toContain(`${PHONE.title} – 256 GB for ${money(8000, "en", "EUR")} more`);
    expect(text(en)).toContain("Twice the storage");
    expect(en).toContain('data-uplift-switch="12"');
    const fr = text(section(await shopper(base).page(`/fr/products/${PHONE.handle}?currency=USD`), "upgrade"));
    // 722.99 $ - 636.99 $ in the US market.
    expect(fr).toContain(`${PHONE.title} – 256 GB pour ${money(8600, "fr", "USD")} de plus`);
    expect(fr).toContain(`Choisir ${PHONE.title} – 256 GB`);
  });
});

describe("the cart offers block", () => {
  it("offers what the cart's bundles still miss, from the lines' metafields, in the shopper's language", async () => {
    const s = shopper(base);
    expect(section(await s.page("/cart"), "bundle")).toBe("");
    await s.json("/cart/add.js", { id: PHONE.variants[1]!.id, quantity: 1 });
    const offer = text(section(await s.page("/cart"), "bundle"));
    expect(offer).toContain("Complete your phone");
    expect(offer).toContain(`${CASE.title} ${money(2900, "en", "EUR")}`);
    expect(offer).toContain(`${CHARGER.title} ${money(3900, "en", "EUR")}`);
    expect(offer).not.toContain(PHONE.title);
    expect(offer).toContain(`Total: ${money(6800, "en", "EUR")}`);
    expect(offer).toContain(`Complete it and save ${money(6570, "en", "EUR")} on the set`);
    expect(text(section(await s.page("/fr/cart"), "bundle"))).toContain("Complétez-le et économisez");

    await s.json("/cart/add.js", { id: CASE.variants[0]!.id, quantity: 1 });
    const rest = text(section(await s.page("/cart"), "bundle"));
    expect(rest).not.toContain(CASE.title);
    expect(rest).toContain(`Total: ${money(3900, "en", "EUR")}`);
    await s.json("/cart/add.js", { id: CHARGER.variants[0]!.id, quantity: 1 });
    expect(section(await s.page("/cart"), "bundle")).toBe("");
  });
});

describe("the free-shipping bar", () => {
  it("counts down to the shop's threshold in the cart's currency, and celebrates when reached", async () => {
    const s = shopper(base);
    expect(text(await s.page("/cart"))).toContain(`${money(70_000, "en", "EUR")} more for free shipping`);
    await s.json("/cart/add.js", { items: [{ id: CASE.variants[0]!.id, quantity: 1 }] });
    expect(text(await s.page("/cart"))).toContain(`${money(70_000 - 2900, "en", "EUR")} more for free shipping`);
    expect(text(await s.page("/fr/cart"))).toContain(`Plus que ${money(70_000 - 2900, "fr", "EUR")} pour la livraison gratuite`);
    expect(text(await s.page("/cart?currency=USD"))).toContain(`${money(75_000 - 3199, "en", "USD")} more for free shipping`);
    await s.json("/cart/add.js", { id: PHONE.variants[2]!.id, quantity: 1 });
    expect(text(await s.page("/cart?currency=EUR"))).toContain(`${money(200, "en", "EUR")} more for free shipping`);
    await s.json("/cart/add.js", { id: CHARGER.variants[0]!.id, quantity: 1 });
    expect(text(await s.page("/cart"))).toContain("You have free shipping!");
  });

  it("is absent in a currency without a threshold", async () => {
    writeOffers(shop.devshop, [BUNDLE], Date.now(), { ...SETTINGS, freeShippingThresholds: { EUR: 70_000 } });
    expect(await shopper(base).page("/cart?currency=USD")).not.toContain("data-uplift-fs");
  });
});

describe("the Ajax Cart API", () => {
  it("adds every line with its hidden properties, or none at all", async () => {
    const s = shopper(base);
    const properties = { _uplift_offer: "bundle-1", _uplift_version: "a" };
    const refused = await s.json("/cart/add.js", { items: [{ id: CASE.variants[0]!.id, quantity: 1, properties }, { id: CHARGER.variants[0]!.id, quantity: 2, properties }] });
    expect(refused.status).toBe(422); // one charger in stock
    expect((await s.json("/cart.js")).body.item_count).toBe(0);
    // Two items of the one charger in stock share it.
    expect((await s.json("/cart/add.js", { items: [{ id: CHARGER.variants[0]!.id, quantity: 1 }, { id: CHARGER.variants[0]!.id, quantity: 1, properties }] })).status).toBe(422);
    expect((await s.json("/cart.js")).body.item_count).toBe(0);

    const added = await s.json("/cart/add.js", { items: [{ id: PHONE.variants[1]!.id, quantity: 1, properties }, { id: CASE.variants[0]!.id, quantity: 1, properties }], sections: "cart-drawer,cart-icon-bubble" });
    expect(added.status).toBe(200);
    expect((added.body.items as unknown[]).length).toBe(2);
    const sections = added.body.sections as Record<string, string>;
    expect(sections["cart-drawer"]).toContain('id="shopify-section-cart-drawer"');
    expect(text(sections["cart-drawer"]!)).toContain("Cart (2)");
    const cart = (await s.json("/cart.js")).body as { items: { properties: Record<string, string>; quantity: number; key: string }[]; total_price: number };
    expect(cart.items.map((i) => i.properties)).toEqual([properties, properties]);
    expect(cart.total_price).toBe(58900 + 2900);
    // Hidden properties (leading underscore) stay out of the cart page.
    expect(await s.page("/cart")).not.toContain("_uplift_offer");

    await s.json("/cart/change.js", { id: cart.items[1]!.key, quantity: 0 });
    await s.json("/cart/update.js", { attributes: { _uplift_visitor: "v1", _uplift_arm: "offers" } });
    const after = (await s.json("/cart.js")).body;
    expect(after.item_count).toBe(1);
    expect(after.attributes).toEqual({ _uplift_visitor: "v1", _uplift_arm: "offers" });
  });

  it("answers malformed requests with 4xx", async () => {
    const s = shopper(base);
    expect((await s.json("/cart/add.js", { items: [{ id: "nope" }] })).status).toBe(404);
    expect((await s.json("/cart/add.js", { items: [] })).status).toBe(422);
    expect((await s.json("/cart/change.js", { line: 9, quantity: 1 })).status).toBe(422);
    const raw = await fetch(`${base}/cart/add.js`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{" });
    expect(raw.status).toBe(400);
  });
});

describe("app proxy forwarding", () => {
  it("sends /apps/uplift/* to the app's proxy URL, signed so that Shopify's library accepts it", async () => {
    const api = shopifyApi({ apiKey: "k", apiSecretKey: "proxy-secret", hostName: "localhost:1", apiVersion: ApiVersion.October26, isEmbeddedApp: true, logger: { level: 0 } });
    const seen: { path: string; valid: boolean; params: URLSearchParams }[] = [];
    const app = createServer(async (req, res) => {
      const url = new URL(req.url!, "http://app");
      seen.push({ path: url.pathname, params: url.searchParams, valid: await api.utils.validateHmac(Object.fromEntries(url.searchParams), { signator: "appProxy" }) });
      res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "private, no-store" }).end('{"ok":true}');
    });
    await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
    const proxied = await startShop({ url: `http://127.0.0.1:${(app.address() as { port: number }).port}`, secret: "proxy-secret" });
    try {
      const res = await fetch(`${proxied.devshop.url}/apps/uplift/cart-offers?lines=1:2:3&visitor=v`);
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("private, no-store");
      expect(seen).toHaveLength(1);
      expect(seen[0]!.path).toBe("/proxy/cart-offers");
      expect(seen[0]!.valid).toBe(true);
      expect(Object.fromEntries(seen[0]!.params)).toMatchObject({ lines: "1:2:3", visitor: "v", shop: proxied.devshop.shop, path_prefix: "/apps/uplift", logged_in_customer_id: "" });
      // A shopper's own `signature` is appended to, not replaced: the app sees a duplicate.
      await fetch(`${proxied.devshop.url}/apps/uplift/cart-offers?signature=forged`);
      expect(seen[1]!.params.getAll("signature")).toHaveLength(2);
    } finally {
      await proxied.stop();
      app.close();
    }
  });
});
