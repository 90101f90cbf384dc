import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatMoney } from "../devshop/storefront/liquid.ts";
import { BUNDLE, CASE, CHARGER, LADDER, PHONE, SETTINGS, shopper, startShop, writeOffers } from "./support/storefront";
import { writeDeals, writeProductWindow } from "./support/storefront-picks";
import { dayIn } from "~/deals/schedule";

// Markets on the storefront: a shopper picks a country in the theme's localization form, and
// every block shows amounts in that market's currency that are the amounts the cart charges
// there (Shopify's presentment prices, rounded by the market), in English and French.
let shop: Awaited<ReturnType<typeof startShop>>;
let base: string;

beforeAll(async () => {
  shop = await startShop();
  base = shop.devshop.url;
  writeOffers(shop.devshop, [BUNDLE, LADDER]);
  writeProductWindow(shop.devshop.store, PHONE.id, "together", [CASE.id, CHARGER.id]);
});
afterAll(() => shop.stop());

const text = (html: string) => html.replace(/<(script|style)[\s\S]*?<\/\1>/g, "").replace(/<[^>]+>/g, " ").replace(/&#39;/g, "'").replace(/[ \t\r\n]+/g, " ");
const block = (html: string, kind: string) => [...html.matchAll(/<section class="uplift[\s\S]*?<\/section>/g)].map((m) => m[0]).find((s) => s.includes(`data-uplift-kind="${kind}"`)) ?? "";
const money = (minor: number, locale: string, currency: string) => formatMoney(minor, { locale, currency });
const COUNTRY: Record<string, string> = { EUR: "FR", USD: "US" };

/** A shopper who chose a country in the localization form, on a page in `locale`. */
async function shopperIn(locale: string, currency: string) {
  const s = shopper(base);
  const prefix = locale === "en" ? "" : `/${locale}`;
  const res = await fetch(`${base}/localization`, {
    method: "POST", redirect: "manual", headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ form_type: "localization", country_code: COUNTRY[currency]!, language_code: locale, return_to: `${prefix}/products/${PHONE.handle}` }),
  });
  expect(res.status).toBe(302);
  expect(res.headers.get("location")).toBe(`${prefix}/products/${PHONE.handle}`);
  for (const set of res.headers.getSetCookie()) {
    const [pair] = set.split(";");
    s.cookies[pair!.slice(0, pair!.indexOf("="))] = pair!.slice(pair!.indexOf("=") + 1);
  }
  return { s, prefix };
}

/** What the cart charges for one of a variant, in the shopper's market (a cart of its own). */
async function charged(cookies: Record<string, string>, variantId: number): Promise<{ price: number; currency: string }> {
  const scratch = shopper(base, { localization: cookies.localization!, cart_currency: cookies.cart_currency! });
  const line = (await scratch.json("/cart/add.js", { id: variantId, quantity: 1 })).body as { price: number };
  const cart = (await scratch.json("/cart.js")).body as { currency: string; total_price: number };
  expect(cart.total_price).toBe(line.price);
  return { price: line.price, currency: cart.currency };
}

describe.each([["en", "EUR"], ["en", "USD"], ["fr", "EUR"], ["fr", "USD"]])("the blocks in %s, %s", (locale, currency) => {
  let s: Awaited<ReturnType<typeof shopperIn>>["s"];
  let prefix: string;
  let price: (variantId: number) => Promise<number>;
  beforeAll(async () => {
    ({ s, prefix } = await shopperIn(locale, currency));
    price = async (variantId) => {
      const answer = await charged(s.cookies, variantId);
      expect(answer.currency).toBe(currency);
      return answer.price;
    };
  });

  it("has the chosen country in the localization form", async () => {
    const page = await s.page(`${prefix}/products/${PHONE.handle}`);
    expect(page).toMatch(new RegExp(`<option value="${COUNTRY[currency]}" selected>[^<]*\\(${currency} `));
    expect(page).toContain(`<html lang="${locale}">`);
  });

  it("prices the bundle, the upgrade and the recommendations as the cart charges them", async () => {
    const page = await s.page(`${prefix}/products/${PHONE.handle}`);
    const [phone, phoneUp, kase, charger] = await Promise.all([PHONE.variants[1]!.id, PHONE.variants[2]!.id, CASE.variants[0]!.id, CHARGER.variants[0]!.id].map(price));
    // The bundle: the 128 GB phone, its case and charger, 10 % off their total.
    const regular = phone! + kase! + charger!;
    const bundle = text(block(page, "bundle"));
    expect(bundle).toContain(money(regular - Math.floor(regular / 10), locale, currency));
    expect(bundle).toContain(money(regular, locale, currency));
    for (const item of [kase!, charger!]) expect(bundle).toContain(money(item, locale, currency));
    // The upgrade: what the 256 GB costs more than the 128 GB.
    expect(text(block(page, "upgrade"))).toContain(money(phoneUp! - phone!, locale, currency));
    const recommendations = text(block(page, "recommendations"));
    expect(recommendations).toContain(`${CASE.title} ${money(kase!, locale, currency)}`);
    expect(recommendations).toContain(`${CHARGER.title} ${money(charger!, locale, currency)}`);
  });

  it("prices the deal of the day in the market: the merchant's price at home, the same share off elsewhere", async () => {
    const today = dayIn("Europe/Paris", Date.now());
    const payload = writeDeals(shop.devshop.store, [{ day: today, variantId: CASE.variants[0]!.id, price: 1900 }]);
    const regular = await price(CASE.variants[0]!.id);
    const deal = currency === "EUR" ? 1900 : regular - Math.floor((regular * payload.deals[0]!.discount_bp) / 10_000);
    const t = text(block(await s.page(`${prefix}/`), "deal"));
    expect(t).toContain(money(deal, locale, currency));
    expect(t).toContain(money(regular, locale, currency));
  });

  it("prices what the cart's bundle still misses and the free-shipping bar in the cart's currency", async () => {
    const cartShopper = shopper(base, { localization: s.cookies.localization!, cart_currency: s.cookies.cart_currency! });
    await cartShopper.json("/cart/add.js", { id: PHONE.variants[1]!.id, quantity: 1 });
    const cart = (await cartShopper.json("/cart.js")).body as { currency: string; total_price: number };
    expect(cart.currency).toBe(currency);
    const page = await cartShopper.page(`${prefix}/cart`);
    const offers = text(block(page.slice(page.indexOf("<main")), "bundle"));
    expect(offers).toContain(`${CASE.title} ${money(await price(CASE.variants[0]!.id), locale, currency)}`);
    expect(offers).toContain(`${CHARGER.title} ${money(await price(CHARGER.variants[0]!.id), locale, currency)}`);
    // The merchant's threshold in this currency, less what the cart costs in it.
    const threshold = SETTINGS.freeShippingThresholds[currency]!;
    expect(text(page)).toContain(money(threshold - cart.total_price, locale, currency));
    expect(page).toContain(`data-threshold="${threshold}" data-currency="${currency}"`);
  });
});

describe("the localization form", () => {
  it("keeps the currency for the shopper's cart, and answers an unknown country with the primary market", async () => {
    const { s } = await shopperIn("en", "USD");
    await s.json("/cart/add.js", { id: CASE.variants[0]!.id, quantity: 1 });
    expect(((await s.json("/cart.js")).body as { currency: string }).currency).toBe("USD");
    // Back to France: the same cart, now in euros.
    const back = await fetch(`${base}/localization`, {
      method: "POST", redirect: "manual", headers: { "Content-Type": "application/x-www-form-urlencoded", cookie: Object.entries(s.cookies).map(([k, v]) => `${k}=${v}`).join("; ") },
      body: new URLSearchParams({ country_code: "FR", return_to: "/cart" }),
    });
    expect(back.headers.get("location")).toBe("/cart");
    const euros = shopper(base, { cart: s.cookies.cart!, localization: "FR", cart_currency: "EUR" });
    expect(((await euros.json("/cart.js")).body as { currency: string; total_price: number })).toMatchObject({ currency: "EUR", total_price: 2900 });
    // A country without a market of its own, and no cookies: the shop's primary market.
    expect(((await shopper(base, { localization: "JP" }).json("/cart.js")).body as { currency: string }).currency).toBe("EUR");
  });
});

describe("the currency objects", () => {
  it("gives Liquid the cart's currency and each country's as Shopify's currency objects", async () => {
    const { s } = await shopperIn("fr", "USD");
    const page = await s.page(`/fr/products/${PHONE.handle}`);
    // The theme writes the cart's currency for scripts (Shopify.currency.active).
    expect(page).toContain('currency: { active: "USD" }');
    // Each country of the form shows its market's currency and symbol, named in the page's language.
    expect(page).toMatch(/<option value="US" selected>États-Unis \(USD \$\)<\/option>/);
    expect(page).toMatch(/<option value="FR">France \(EUR €\)<\/option>/);
  });
});
