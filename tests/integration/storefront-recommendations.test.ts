import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { formatMoney } from "../devshop/storefront/liquid.ts";
import { presentmentPrice } from "../devshop/markets.ts";
import { createStorefront, type ThemeLayout } from "../devshop/storefront/storefront.ts";
import { gid, resolveNamespace } from "../devshop/views.ts";
import type { Product } from "../devshop/store.ts";
import { CASE, CHARGER, PHONE, shopper, startShop } from "./support/storefront";
import { writeDeals, writeProductWindow, writeShopWindow } from "./support/storefront-picks";
import { dayIn } from "~/deals/schedule";

// The recommendations block and the deal of the day, rendered by the stand-in's Liquid theme
// from the metafields the app writes (product windows, app-data windows and deals), on the
// product, cart, home and collection pages, in English and French, euros and dollars.
let shop: Awaited<ReturnType<typeof startShop>>;
let base: string;

const accessory = (id: number, title: string, price: number, stock: number, compareAtPrice: number | null = null): Product => ({
  id, title, handle: title.toLowerCase().replace(/[^a-z0-9]+/g, "-"), status: "ACTIVE", vendor: "Nimbus", productType: "Accessory", tags: [], description: `${title}.`,
  imageUrl: null, createdAt: "2026-01-01T00:00:00Z", updatedAt: "2026-01-01T00:00:00Z", options: [{ name: "Title", values: ["Default Title"] }],
  variants: [{ id: id * 10, productId: id, title: "Default Title", sku: `SKU-${id}`, price, compareAtPrice, inventoryQuantity: stock, options: [{ name: "Title", value: "Default Title" }], position: 1 }],
});
const PROTECTOR = accessory(4, "Nimbus screen protector", 1900, 50, 2500);
const EARBUDS = accessory(5, "Nimbus earbuds", 9900, 0);
const COLLECTION = { id: 1, title: "Nimbus accessories", handle: "nimbus-accessories", productIds: [2, 3, 4, 5] };

beforeAll(async () => {
  shop = await startShop();
  base = shop.devshop.url;
  for (const p of [PROTECTOR, EARBUDS]) shop.devshop.store.put("product", p);
  shop.devshop.store.put("collection", COLLECTION);
});
afterAll(() => shop.stop());
beforeEach(() => {
  const store = shop.devshop.store;
  for (const p of store.products.values()) for (const key of ["together", "similar"]) store.deleteMetafield(gid("Product", p.id), resolveNamespace("$app:uplift"), key);
  // The earbuds are sold out and the phone is the page's own product: neither is shown.
  writeProductWindow(store, PHONE.id, "together", [CASE.id, EARBUDS.id, PHONE.id, CHARGER.id]);
  writeProductWindow(store, PHONE.id, "similar", [PROTECTOR.id]);
  writeProductWindow(store, CASE.id, "together", [PHONE.id, PROTECTOR.id]);
  writeShopWindow(store, "best_sellers", [PHONE.id, EARBUDS.id, CASE.id, CHARGER.id, PROTECTOR.id]);
  writeShopWindow(store, "on_offer", [PROTECTOR.id]);
  store.deleteMetafield(gid("AppInstallation", 1), "uplift", "deals");
});

const text = (html: string) => html.replace(/<(script|style)[\s\S]*?<\/\1>/g, "").replace(/<[^>]+>/g, " ").replace(/&#39;/g, "'").replace(/[ \t\r\n]+/g, " ");
const block = (html: string, kind: string) => [...html.matchAll(/<section class="uplift[\s\S]*?<\/section>/g)].map((m) => m[0]).find((s) => s.includes(`data-uplift-kind="${kind}"`)) ?? "";
const titles = (html: string) => [...html.matchAll(/<li class="uplift-card">[\s\S]*?<span>([^<]+)<\/span>/g)].map((m) => m[1]);
const money = (minor: number, locale: string, currency: string) => formatMoney(minor, { locale, currency });

describe("the recommendations block", () => {
  it("shows the product's bought-together window on its page: buyable, not itself, with prices and an add button", async () => {
    const html = block(await shopper(base).page(`/products/${PHONE.handle}`), "recommendations");
    expect(titles(html)).toEqual([CASE.title, CHARGER.title]);
    expect(html).toContain('data-uplift-offer="recommendations:together"');
    expect(text(html)).toContain("Frequently bought together");
    expect(text(html)).toContain(`${CASE.title} ${money(2900, "en", "EUR")}`);
    expect(html).toContain(`data-uplift-add-one="${CASE.variants[0]!.id}">Add to cart<span class="uplift-vh">: ${CASE.title}</span></button>`);
    // Labelled by its heading, for screen readers.
    expect(html).toMatch(/aria-labelledby="(uplift-recommendations-\d+-h)"[\s\S]*<h2 class="uplift-title" id="\1">/);
  });

  it("speaks French and prices in dollars", async () => {
    const html = block(await shopper(base).page(`/fr/products/${PHONE.handle}?currency=USD`), "recommendations");
    const t = text(html);
    expect(t).toContain("Souvent achetés ensemble");
    expect(t).toContain(`${CASE.title} ${money(presentmentPrice(2900, "USD", "EUR"), "fr", "USD")}`);
    expect(t).toContain("Ajouter au panier");
    expect(html).toContain(`>Ajouter au panier<span class="uplift-vh">: ${CASE.title}</span></button>`);
    expect(money(presentmentPrice(2900, "USD", "EUR"), "fr", "USD")).toMatch(/^31,99\s\$US$/);
  });

  it("falls back to similar products, then to the shop's best sellers, when a window is empty", async () => {
    const store = shop.devshop.store;
    store.deleteMetafield(gid("Product", PHONE.id), resolveNamespace("$app:uplift"), "together");
    const similar = block(await shopper(base).page(`/products/${PHONE.handle}`), "recommendations");
    expect(text(similar)).toContain("You may also like");
    // On sale: the compare-at price is struck, with words for screen readers.
    expect(text(similar)).toContain(`${PROTECTOR.title} ${money(1900, "en", "EUR")} Regular price: ${money(2500, "en", "EUR")}`);
    const charger = block(await shopper(base).page(`/products/${CHARGER.handle}`), "recommendations");
    expect(text(charger)).toContain("Best sellers");
    expect(titles(charger)).toEqual([PHONE.title, CASE.title, PROTECTOR.title]);
  });

  it("recommends what goes with the cart's lines on the cart page, never what is already in it", async () => {
    const s = shopper(base);
    expect(text(block(await s.page("/cart"), "recommendations"))).toContain("Best sellers"); // an empty cart
    await s.json("/cart/add.js", { id: PHONE.variants[1]!.id, quantity: 1 });
    expect(titles(block(await s.page("/cart"), "recommendations"))).toEqual([CASE.title, CHARGER.title]);
    await s.json("/cart/add.js", { id: CASE.variants[0]!.id, quantity: 1 });
    // The case is in the cart now; the phone's charger, then the case's protector.
    expect(titles(block(await s.page("/cart"), "recommendations"))).toEqual([CHARGER.title, PROTECTOR.title]);
    expect(text(block(await s.page("/fr/cart"), "recommendations"))).toContain("Souvent achetés ensemble");
  });

  it("shows the shop's best sellers on the home page and the collection page, in both languages", async () => {
    const home = block(await shopper(base).page("/"), "recommendations");
    expect(titles(home)).toEqual([PHONE.title, CASE.title, CHARGER.title, PROTECTOR.title]);
    expect(text(home)).toContain("Best sellers");
    // The phone has variants: "from" its cheapest, and a link to choose instead of an add button.
    expect(text(home)).toContain(`${PHONE.title} From ${money(51900, "en", "EUR")}`);
    expect(home).toContain(`>Choose options<span class="uplift-vh">: ${PHONE.title}</span></a>`);
    const page = await shopper(base).page(`/fr/collections/${COLLECTION.handle}?currency=USD`);
    expect(page).toContain(`<h1>${COLLECTION.title}</h1>`);
    expect(text(page)).toContain("4 produits");
    expect(text(block(page, "recommendations"))).toContain("Meilleures ventes");
    expect(text(block(page, "recommendations"))).toContain(money(presentmentPrice(2900, "USD", "EUR"), "fr", "USD"));
  });

  it("follows the theme editor's settings: the window, how many, the heading and whether prices show", async () => {
    const layout: ThemeLayout = { blocks: { collection: [{ type: "recommendations", settings: { window: "on_offer", limit: 2, heading: "Our deals", show_prices: false } }], product: [{ type: "recommendations", settings: { window: "best_sellers", limit: 2 } }] }, embeds: [] };
    const { url, server } = await serve(layout);
    try {
      const offer = block(await shopper(url).page(`/collections/${COLLECTION.handle}`), "recommendations");
      expect(titles(offer)).toEqual([PROTECTOR.title]);
      expect(text(offer)).toContain("Our deals");
      expect(text(offer)).not.toContain(money(1900, "en", "EUR"));
      const two = block(await shopper(url).page(`/products/${CASE.handle}`), "recommendations");
      expect(titles(two)).toEqual([PHONE.title, CHARGER.title]); // two, and never the page's own product
    } finally {
      server.close();
    }
  });
});

describe("the deal of the day", () => {
  const today = () => dayIn("Europe/Paris", Date.now());
  const shifted = (days: number) => new Date(Date.parse(`${today()}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

  it("shows today's deal with its price, the saving and the time left to midnight in the shop's time zone", async () => {
    const payload = writeDeals(shop.devshop.store, [{ day: shifted(-1), variantId: CHARGER.variants[0]!.id, price: 100 }, { day: today(), variantId: CASE.variants[0]!.id, price: 1900 }, { day: shifted(1), variantId: CHARGER.variants[0]!.id, price: 2000 }]);
    expect(payload.deals.map((d) => d.day)).toEqual([today(), shifted(1)]); // yesterday's is gone
    const html = block(await shopper(base).page("/"), "deal");
    const t = text(html);
    expect(t).toContain("Deal of the day");
    expect(t).toContain(`${CASE.title} ${money(1900, "en", "EUR")} Regular price: ${money(2900, "en", "EUR")}`);
    expect(t).toContain(`You save ${money(1000, "en", "EUR")}`);
    expect(html).toContain(`data-uplift-add-one="${CASE.variants[0]!.id}"`);
    expect(html).toContain(`data-uplift-offer="deal:${today()}"`);
    // Midnight in Paris, worked out by the app; the page counts down to it.
    const ends = Number(/data-uplift-ends="(\d+)"/.exec(html)![1]);
    expect(dayIn("Europe/Paris", ends * 1000)).toBe(shifted(1));
    expect(dayIn("Europe/Paris", ends * 1000 - 1000)).toBe(today());
    const [h, m, s] = /(\d\d):(\d\d):(\d\d)<\/time>/.exec(html)!.slice(1).map(Number) as [number, number, number];
    const left = ends - Date.now() / 1000;
    expect(Math.abs(h * 3600 + m * 60 + s - left)).toBeLessThan(5);
    expect(html).toMatch(/<time role="timer" datetime="PT\d\dH\d\dM\d\dS" data-uplift-timer>/);
  });

  it("takes the same share off in dollars, and speaks French", async () => {
    const payload = writeDeals(shop.devshop.store, [{ day: today(), variantId: CASE.variants[0]!.id, price: 1900 }]);
    const regular = presentmentPrice(2900, "USD", "EUR");
    const price = regular - Math.floor((regular * payload.deals[0]!.discount_bp) / 10_000);
    const t = text(block(await shopper(base).page(`/fr/collections/${COLLECTION.handle}?currency=USD`), "deal"));
    expect(t).toContain("Offre du jour");
    expect(t).toContain(`${money(price, "fr", "USD")} Prix normal : ${money(regular, "fr", "USD")}`);
    expect(t).toMatch(/Se termine dans \d\d:\d\d:\d\d/);
    expect(t).toContain("Se termine dans");
    expect(price).toBeLessThan(regular);
  });

  it("is not there before its day, after it, or when its product sold out", async () => {
    writeDeals(shop.devshop.store, [{ day: shifted(1), variantId: CASE.variants[0]!.id, price: 1900 }]);
    expect(block(await shopper(base).page("/"), "deal")).toBe("");
    // A payload written yesterday, still holding yesterday's deal: the page checks the clock.
    writeDeals(shop.devshop.store, [{ day: shifted(-1), variantId: CASE.variants[0]!.id, price: 1900 }], Date.now() - 86_400_000);
    expect(block(await shopper(base).page("/"), "deal")).toBe("");
    writeDeals(shop.devshop.store, [{ day: today(), variantId: EARBUDS.variants[0]!.id, price: 1900 }]);
    expect(block(await shopper(base).page("/"), "deal")).toBe("");
  });
});

async function serve(layout: ThemeLayout): Promise<{ url: string; server: Server }> {
  let url = "";
  const storefront = createStorefront({ store: shop.devshop.store, publicUrl: () => url, layout });
  const server = createServer((req, res) => {
    void storefront.handle(req, res, new URL(req.url ?? "/", "http://x")).then((handled) => handled || res.writeHead(404).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { url, server };
}
