import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatMoney } from "../devshop/storefront/liquid.ts";
import { gid } from "../devshop/views.ts";
import type { Offer } from "~/offers/model";
import { CASE, CHARGER, PHONE, shopper, startShop, writeOffers } from "./support/storefront";

// A gift with purchase on the stand-in's storefront, as the offer sync writes it to the
// products' metafields: the product page's note, and the cart page's block (what is left to
// spend, from the live cart; the button that adds the gift once earned; nothing once it is in
// the cart or sold out). In en and fr, EUR and USD.
let shop: Awaited<ReturnType<typeof startShop>>;
let base: string;
beforeAll(async () => {
  shop = await startShop();
  base = shop.devshop.url;
});
afterAll(() => shop.stop());

const text = (html: string) => html.replace(/<(script|style)[\s\S]*?<\/\1>/g, "").replace(/<[^>]+>/g, " ").replace(/&#39;/g, "'").replace(/[ \t\r\n]+/g, " ").trim();
const gift = (html: string) => [...html.matchAll(/<(p|section) class="uplift[^"]*"[^>]*data-uplift-kind="gift"[\s\S]*?<\/\1>/g)].map((m) => m[0]);
const money = (minor: number, locale: string, currency: string) => formatMoney(minor, { locale, currency });

/** The case free from €600 (no threshold in dollars), or with the charger. */
const GIFT: Offer = {
  id: "gift-1", name: "Free case", kind: "bundle", status: "active", priority: 50, schedule: { startsAt: null, endsAt: null }, createdAt: 1,
  targeting: { placements: ["product", "cart"], products: { productIds: [], variantIds: [], collectionIds: [], tags: [], vendors: [], productTypes: [] }, subtotal: {}, customerTags: { include: [], exclude: [] }, customerType: "any", currencies: [], markets: [], excludePurchased: false },
  content: [{ id: "a", weight: 100, title: "A case on us", body: "" }],
  bundle: { type: "gift", gift: { productId: gid("Product", CASE.id), variantId: null, quantity: 1 }, minSubtotal: { EUR: 60000 }, triggerProductIds: [gid("Product", CHARGER.id)] },
};

describe("a gift with purchase on the product page", () => {
  beforeAll(() => writeOffers(shop.devshop, [GIFT]));

  it("notes the threshold in the shopper's currency, or that this product earns it", async () => {
    const s = shopper(base);
    expect(gift(await s.page(`/products/${PHONE.handle}`)).map(text)).toEqual([`Free ${CASE.title} on orders of ${money(60000, "en", "EUR")} or more`]);
    expect(gift(await s.page(`/products/${CHARGER.handle}`)).map(text)).toEqual([`Free ${CASE.title} with this product`]);
    expect(gift(await s.page(`/fr/products/${PHONE.handle}`)).map(text)).toEqual([`${CASE.title} en cadeau dès ${money(60000, "fr", "EUR")} d’achat`]);
    // No threshold in dollars: only the charger's page says it, in dollars too.
    expect(gift(await s.page(`/products/${PHONE.handle}?currency=USD`))).toEqual([]);
    expect(gift(await s.page(`/products/${CHARGER.handle}?currency=USD`)).map(text)).toEqual([`Free ${CASE.title} with this product`]);
    // Not on the gift's own page.
    expect(gift(await s.page(`/products/${CASE.handle}`))).toEqual([]);
  });
});

describe("a gift with purchase in the cart", () => {
  beforeAll(() => writeOffers(shop.devshop, [GIFT]));
  const add = (s: ReturnType<typeof shopper>, id: number, quantity = 1) => s.json("/cart/add.js", { id, quantity });

  it("says what is left to spend, from the cart's total in its currency, and offers no button yet", async () => {
    const s = shopper(base);
    await add(s, PHONE.variants[1]!.id);
    const [section] = gift(await s.page("/cart"));
    expect(section).toBeDefined();
    // 600.00 - 589.00
    expect(text(section!)).toBe(`A case on us ${CASE.title} Regular price: ${money(2900, "en", "EUR")} Spend ${money(1100, "en", "EUR")} more to get ${CASE.title} free`);
    expect(section).not.toContain("data-uplift-add");
    expect(text(gift(await s.page("/fr/cart"))[0]!)).toContain(`Plus que ${money(1100, "fr", "EUR")} pour recevoir ${CASE.title} en cadeau`);
  });

  it("once the total reaches it, adds the gift's variant with the offer's id", async () => {
    const s = shopper(base);
    await add(s, PHONE.variants[2]!.id); // 669.00
    const [section] = gift(await s.page("/cart"));
    expect(section).toContain('data-uplift-offer="gift-1"');
    expect(section).toMatch(/<li class="uplift-item" data-uplift-item data-quantity="1">\s*<input type="checkbox" checked hidden data-uplift-check>/);
    expect(section).toContain(`<input type="hidden" value="${CASE.variants[0]!.id}" data-uplift-variant>`);
    expect(section).toContain(`<button type="button" class="uplift-button" data-uplift-add>Add your free ${CASE.title}</button>`);
  });

  it("is earned at once by a trigger product, whatever the total, and where there is no threshold", async () => {
    for (const currency of ["EUR", "USD"]) {
      const s = shopper(base);
      await add(s, CHARGER.variants[0]!.id);
      const [section] = gift(await s.page(`/cart?currency=${currency}`));
      expect(section, currency).toContain(`Add your free ${CASE.title}`);
    }
  });

  it("shows nothing once the gift is in the cart, or when it is sold out", async () => {
    const s = shopper(base);
    await add(s, PHONE.variants[2]!.id);
    await add(s, CASE.variants[0]!.id);
    expect(gift(await s.page("/cart"))).toEqual([]);

    const t = shopper(base);
    await add(t, CHARGER.variants[0]!.id);
    shop.devshop.store.put("product", { ...CASE, variants: CASE.variants.map((v) => ({ ...v, inventoryQuantity: 0 })) });
    try {
      expect(gift(await t.page("/cart"))).toEqual([]);
      expect(gift(await t.page(`/products/${PHONE.handle}`))).toEqual([]);
    } finally {
      shop.devshop.store.put("product", CASE);
    }
  });
});
