import { createServer } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import "@shopify/shopify-api/adapters/node";
import { ApiVersion, shopifyApi } from "@shopify/shopify-api";
import { formatMoney } from "../devshop/storefront/liquid.ts";
import { DEMO_PASSWORD } from "../devshop/storefront/accounts.ts";
import { gid } from "../devshop/views.ts";
import type { Offer } from "~/offers/model";
import { BUNDLE, CASE, CHARGER, PHONE, shopper, startShop, writeOffers } from "./support/storefront";

// The bundle block's mix-and-match and quantity tiers, the cart offers' live panel (cart page
// and drawer), and the stand-in's pieces they stand on: Shopify.actions.updateCart's cart
// changes (all or nothing), /products/{handle}.js, and customer login carried to the app
// proxy as the signed logged_in_customer_id. Rendered in en and fr, EUR and USD.
let shop: Awaited<ReturnType<typeof startShop>>;
let base: string;
beforeAll(async () => {
  shop = await startShop();
  base = shop.devshop.url;
});
afterAll(() => shop.stop());

const text = (html: string) => html.replace(/<(script|style)[\s\S]*?<\/\1>/g, "").replace(/<[^>]+>/g, " ").replace(/&#39;/g, "'").replace(/[ \t\r\n]+/g, " ");
const section = (html: string, kind: string) => [...html.matchAll(/<section class="uplift[\s\S]*?<\/section>/g)].map((m) => m[0]).find((s) => s.includes(`data-uplift-kind="${kind}"`)) ?? "";
const money = (minor: number, locale: string, currency: string) => formatMoney(minor, { locale, currency });

const common = { status: "active" as const, priority: 50, schedule: { startsAt: null, endsAt: null }, createdAt: 1 };
const targeting = (productIds: string[]) => ({
  placements: ["product" as const, "cart" as const], products: { productIds, variantIds: [], collectionIds: [], tags: [], vendors: [], productTypes: [] },
  subtotal: {}, customerTags: { include: [], exclude: [] }, customerType: "any" as const, currencies: [], markets: [], excludePurchased: false,
});
const MIX: Offer = {
  ...common, id: "mix-1", name: "Accessories", kind: "bundle", targeting: targeting([]),
  content: [{ id: "a", weight: 100, title: "Pick your accessories", body: "" }],
  bundle: { type: "mix_match", productIds: [gid("Product", CASE.id), gid("Product", CHARGER.id), gid("Product", PHONE.id)], collectionIds: [], minItems: 2, maxItems: 3, discount: { type: "percentage", basisPoints: 1500 } },
};
const TIERS: Offer = {
  ...common, id: "tiers-1", name: "Phones for the team", kind: "bundle", targeting: targeting([gid("Product", PHONE.id)]),
  content: [{ id: "a", weight: 100, title: "", body: "" }],
  bundle: { type: "quantity_tiers", tiers: [{ minQuantity: 2, discount: { type: "percentage", basisPoints: 1000 } }, { minQuantity: 3, discount: { type: "percentage", basisPoints: 1500 } }] },
};

describe("mix and match in the bundle block", () => {
  beforeAll(() => writeOffers(shop.devshop, [MIX, TIERS]));

  it("lists the merchant's products to pick from, with the rule, nothing picked and adding disabled with the reason", async () => {
    const html = section(await shopper(base).page(`/products/${CASE.handle}`), "mix_match");
    const t = text(html);
    expect(t).toContain("Pick your accessories");
    expect(t).toContain("Choose 2 to 3 items for the set price.");
    for (const [p, price] of [[CASE, 2900], [CHARGER, 3900], [PHONE, 58900]] as const) expect(t).toContain(`${p.title} ${p === PHONE ? "64 GB (sold out) 128 GB 256 GB " : ""}${money(price, "en", "EUR")}`);
    expect(html).toContain('data-min="2" data-max="3"');
    expect(html).toContain('data-discount="percentage" data-discount-value="1500"');
    expect(html).not.toMatch(/data-uplift-check[^>]*checked/);
    expect(html).toMatch(/<button type="button" class="uplift-button" data-uplift-add aria-describedby="[^"]+-why" disabled>Add the set to cart<\/button>/);
    expect(t).toContain("Items still to choose: 2");
    // The script's words, with placeholders it fills.
    expect(html).toContain('data-need="Items still to choose: [count]"');
    expect(html).toContain('data-too-many="Too many items: the set takes at most [count]."');
  });

  it("speaks French and prices in dollars", async () => {
    const fr = text(section(await shopper(base).page(`/fr/products/${CASE.handle}?currency=USD`), "mix_match"));
    expect(fr).toContain("Choisissez de 2 à 3 articles pour le prix du lot.");
    expect(fr).toContain("Ajouter le lot au panier");
    expect(fr).toContain("Articles encore à choisir : 2");
    // 29.00 € is 31.32 $ at the stand-in's rate, which the US market rounds up to 31.99 $.
    expect(fr).toContain(`${CASE.title} ${money(3199, "fr", "USD")}`);
    expect(money(3199, "fr", "USD")).toMatch(/^31,99\s\$US$/);
    const exact = { ...MIX, bundle: { ...MIX.bundle, minItems: 2, maxItems: 2 } } as Offer;
    writeOffers(shop.devshop, [exact]);
    expect(text(section(await shopper(base).page(`/products/${CHARGER.handle}`), "mix_match"))).toContain("Choose 2 items for the set price.");
    writeOffers(shop.devshop, [MIX, TIERS]);
  });

  it("gives an amount off in the shopper's currency, and nothing shows where the offer has no amount in it", async () => {
    writeOffers(shop.devshop, [{ ...MIX, bundle: { ...MIX.bundle, discount: { type: "amount", amounts: { EUR: 500 } } } } as Offer]);
    expect(section(await shopper(base).page(`/products/${CASE.handle}`), "mix_match")).toContain('data-discount="amount" data-discount-value="500"');
    expect(section(await shopper(base).page(`/products/${CASE.handle}?currency=USD`), "mix_match")).toBe("");
    writeOffers(shop.devshop, [MIX, TIERS]);
  });
});

describe("quantity tiers in the bundle block", () => {
  beforeAll(() => writeOffers(shop.devshop, [TIERS]));

  it("offers each tier with its saving and unit price; the first is chosen and its quantity is what is added", async () => {
    const html = section(await shopper(base).page(`/products/${PHONE.handle}`), "tiers");
    const t = text(html);
    expect(t).toContain("Buy more, save more");
    // 589.00 € less 10 % and 15 %, each rounded down to the cent.
    expect(t).toContain(`Buy 2, save 10 % ${money(53010, "en", "EUR")} each`);
    expect(t).toContain(`Buy 3, save 15 % ${money(50065, "en", "EUR")} each`);
    expect(html).toMatch(/<input type="radio" name="[^"]+" value="2" checked>/);
    expect(t).toContain("Add 2 to cart");
    // Every variant's price, the sold-out one marked, for re-pricing on a change of variant.
    expect(html).toContain('data-prices="10:51900:x,11:58900,12:66900"');
    expect(html).toContain('data-variant="11"');
    expect(html).toMatch(/<legend class="uplift-vh">How many<\/legend>/);
  });

  it("speaks French and prices in dollars", async () => {
    const t = text(section(await shopper(base).page(`/fr/products/${PHONE.handle}?currency=USD`), "tiers"));
    // 589.00 € is 636.12 $, rounded up to 636.99 $ in the US market; less 10 % (63.69) and 15 % (95.54).
    expect(t).toContain(`Achetez-en 2, économisez 10 % ${money(57330, "fr", "USD")} l’unité`);
    expect(t).toContain(`Achetez-en 3, économisez 15 % ${money(54145, "fr", "USD")} l’unité`);
    expect(t).toContain("Ajouter 2 au panier");
  });
});

describe("the cart offers' live panel", () => {
  it("wraps the cart page's offers with the app proxy's path and the words the script needs, and gives the drawer an empty one", async () => {
    writeOffers(shop.devshop, [BUNDLE]);
    const s = shopper(base);
    await s.json("/cart/add.js", { id: PHONE.variants[1]!.id, quantity: 1 });
    const page = await s.page("/cart");
    const panel = /<div class="uplift uplift-cart-live"[^>]*>/.exec(page.slice(page.indexOf("<main")))![0];
    expect(panel).toContain('data-proxy="/apps/uplift"');
    expect(panel).toContain('aria-label="Offers for your cart"');
    expect(panel).toContain('data-upgrade="Switch to [product] for [amount] more"');
    expect(panel).not.toContain(" hidden");
    expect(page.slice(page.indexOf(panel))).toContain('data-uplift-kind="bundle"'); // the offers rendered from the metafields, inside it
    // The drawer's panel: a template the script places in the theme's drawer after a change,
    // with that script's address: uplift.js fetches it at the first cart change.
    expect(page).toContain('<template data-uplift-drawer="#cart-drawer, cart-drawer" data-uplift-script="/cdn/apps/uplift/assets/uplift-cart.js">');
    const fr = await s.page("/fr/cart?currency=USD");
    expect(fr).toContain('data-upgrade="Passez à [product] pour [amount] de plus"');
    expect(fr).toContain('data-currency="USD" data-locale="fr"');
  });
});

describe("the scripts a page loads", () => {
  // The extension's deferred scripts, as Shopify adds them for the blocks and embeds on the page.
  const scripts = (html: string) => [...html.matchAll(/<script src="\/cdn\/apps\/uplift\/assets\/([^"]+)" defer>/g)].map((m) => m[1]).sort();
  it("leave the cart offers' script to the cart page, and to the first cart change elsewhere", async () => {
    writeOffers(shop.devshop, [BUNDLE]);
    const s = shopper(base);
    // The cart drawer's embed is on every page; its script is not.
    expect(scripts(await s.page(`/products/${PHONE.handle}`))).toEqual(["uplift-bundle.js", "uplift.js"]);
    expect(scripts(await s.page("/"))).toEqual(["uplift.js"]);
    expect(scripts(await s.page("/cart"))).toEqual(["uplift-cart.js", "uplift.js"]);
  });
});

describe("the stand-in's storefront", () => {
  it("answers /products/{handle}.js in the shopper's language path and currency", async () => {
    const s = shopper(base);
    const product = (await s.json(`/fr/products/${PHONE.handle}.js?currency=USD`)).body as { title: string; variants: { id: number; price: number; available: boolean }[]; featured_image: string };
    expect(product.title).toBe(PHONE.title);
    // The US market's prices: 519.00, 589.00, 669.00 € at 1.08, rounded up to .99.
    expect(product.variants.map((v) => [v.id, v.price, v.available])).toEqual([[10, 56099, false], [11, 63699, true], [12, 72299, true]]);
    expect(product.featured_image).toMatch(/^http/);
    expect((await s.json("/products/nope.js")).status).toBe(404);
  });

  it("runs Shopify.actions.updateCart's changes all together or not at all", async () => {
    const s = shopper(base);
    const update = (payload: unknown) => s.json("/storefront/actions/update-cart", payload);
    const attributes = [{ key: "_uplift_offer", value: "mix-1" }, { key: "_uplift_version", value: "a" }];
    const added = (await update({ lines: [{ merchandiseId: `gid://shopify/ProductVariant/${CASE.variants[0]!.id}`, quantity: 1, attributes }, { merchandiseId: `gid://shopify/ProductVariant/${PHONE.variants[1]!.id}`, quantity: 1, attributes }] })).body as { cart: { lines: { id: string; attributes: unknown }[]; cost: { totalAmount: { amount: string; currencyCode: string } } }; userErrors: unknown[] };
    expect(added.userErrors).toEqual([]);
    expect(added.cart.lines.map((l) => l.attributes)).toEqual([attributes, attributes]);
    expect(added.cart.cost.totalAmount).toEqual({ amount: "618.00", currencyCode: "EUR" });
    const before = (await s.json("/cart.js")).body;
    // Two chargers when one is in stock: declined with a user error, nothing changed.
    const declined = (await update({ lines: [{ merchandiseId: `gid://shopify/ProductVariant/${CASE.variants[0]!.id}`, quantity: 1 }, { merchandiseId: `gid://shopify/ProductVariant/${CHARGER.variants[0]!.id}`, quantity: 2 }] })).body as { userErrors: { message: string }[] };
    expect(declined.userErrors).toHaveLength(1);
    expect(declined.userErrors[0]!.message).toContain("Nimbus charger");
    expect((await s.json("/cart.js")).body).toEqual(before);
    // A removal by the line's key (viewKey) and an add, in one call; a bad one undoes the rest.
    const key = (before.items as { key: string }[])[0]!.key;
    expect((await update({ lines: [{ viewKey: key, quantity: 0 }, { viewKey: "nope", quantity: 0 }] })).body.userErrors).toHaveLength(1);
    expect((await s.json("/cart.js")).body).toEqual(before);
    expect((await update({ lines: [{ viewKey: key, quantity: 0 }] })).body.userErrors).toEqual([]);
    expect(((await s.json("/cart.js")).body.items as unknown[]).length).toBe(1);
  });

  it("logs a seeded customer in, and tells the app proxy who it is, signed", async () => {
    const customer = { id: 7_000_000_042, email: "camille@example.com", firstName: "Camille", lastName: "Dubois", tags: ["vip"], createdAt: "2026-01-01T00:00:00Z" };
    const api = shopifyApi({ apiKey: "k", apiSecretKey: "proxy-secret", hostName: "localhost:1", apiVersion: ApiVersion.October26, isEmbeddedApp: true, logger: { level: 0 } });
    const seen: { valid: boolean; customer: string | null }[] = [];
    const app = createServer(async (req, res) => {
      const params = new URL(req.url!, "http://app").searchParams;
      seen.push({ customer: params.get("logged_in_customer_id"), valid: await api.utils.validateHmac(params, { signator: "appProxy" }) });
      res.writeHead(200, { "Content-Type": "application/json" }).end("{}");
    });
    await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
    const proxied = await startShop({ url: `http://127.0.0.1:${(app.address() as { port: number }).port}`, secret: "proxy-secret" });
    proxied.devshop.store.put("customer", customer);
    try {
      const s = shopper(proxied.devshop.url);
      expect(text(await s.page("/account/login"))).toContain("Log in");
      const login = (email: string, password: string) => fetch(`${proxied.devshop.url}/account/login`, { method: "POST", redirect: "manual", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ email, password }) });
      const wrong = await login(customer.email, "guess");
      expect(wrong.status).toBe(401);
      expect(text(await wrong.text())).toContain("Incorrect email or password.");
      const right = await login(customer.email.toUpperCase(), DEMO_PASSWORD);
      expect(right.status).toBe(302);
      expect(right.headers.get("location")).toBe("/account");
      const session = right.headers.get("set-cookie")!.split(";")[0]!;
      expect(session).toMatch(/^customer_session=[0-9a-f]{36}$/);
      const as = shopper(proxied.devshop.url, Object.fromEntries([session.split("=") as [string, string]]));
      expect(text(await as.page("/account"))).toContain("Hello, Camille.");
      await as.page("/apps/uplift/cart-offers?visitor=v");
      await shopper(proxied.devshop.url).page("/apps/uplift/cart-offers?visitor=v");
      // A made-up session is a guest.
      await shopper(proxied.devshop.url, { customer_session: "0".repeat(36) }).page("/apps/uplift/cart-offers?visitor=v");
      expect(seen).toEqual([{ customer: String(customer.id), valid: true }, { customer: "", valid: true }, { customer: "", valid: true }]);
      await as.page("/account/logout");
      await as.page("/apps/uplift/cart-offers?visitor=v");
      expect(seen[3]).toEqual({ customer: "", valid: true });
    } finally {
      await proxied.stop();
      app.close();
    }
  });
});
