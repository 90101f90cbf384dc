// Gift with purchase: what the merchant may save (validation, import and export) and what a
// shopper is offered, in each currency, on a product page and in the cart.
import { describe, expect, it } from "vitest";
import { catalogOf } from "~/offers/catalog";
import { blankBundle } from "~/offers/defaults";
import type { Offer } from "~/offers/model";
import { buildProposal, type Present } from "~/offers/proposals";
import { compileOffers, select } from "~/offers/select";
import { productOffers } from "~/offers/storefront";
import { exportOffers, parseOfferImport } from "~/offers/transfer";
import { parseOfferDefinition } from "~/offers/validation";
import { catalog, context, P, PACING, phoneFbt, phoneGift, products, V } from "./support/offers";

const definition = (offer: Offer): Record<string, unknown> => {
  const { id: _id, createdAt: _createdAt, ...rest } = offer;
  return rest;
};
const withBundle = (bundle: Record<string, unknown>) => ({ ...definition(phoneGift()), bundle: { ...(definition(phoneGift()).bundle as object), ...bundle } });
const present = (over: Partial<Present> = {}): Present => ({ productIds: new Set(), variantIds: new Set(), purchased: new Set(), triggers: [], ...over });

describe("a gift with purchase, as the merchant saves it", () => {
  it("accepts a threshold, trigger products, or both; blank starts with neither", () => {
    expect(parseOfferDefinition(definition(phoneGift())).ok).toBe(true);
    expect(parseOfferDefinition(withBundle({ triggerProductIds: [] })).ok).toBe(true);
    expect(parseOfferDefinition(withBundle({ minSubtotal: null })).ok).toBe(true);
    expect(blankBundle("gift")).toEqual({ type: "gift", gift: { productId: "", variantId: null, quantity: 1 }, minSubtotal: null, triggerProductIds: [] });
  });

  it("needs the gift's product, a quantity from 1, and something that earns it", () => {
    expect(parseOfferDefinition(withBundle({ gift: { productId: "", variantId: null, quantity: 1 } }))).toEqual({ ok: false, errors: { "bundle.gift.productId": "offers.errors.required" } });
    expect(parseOfferDefinition(withBundle({ gift: { productId: P(3), variantId: null, quantity: 0 } }))).toEqual({ ok: false, errors: { "bundle.gift.quantity": "offers.errors.quantity" } });
    expect(parseOfferDefinition(withBundle({ minSubtotal: null, triggerProductIds: [] }))).toEqual({ ok: false, errors: { "bundle.minSubtotal": "offers.errors.giftCondition" } });
    // The editor's fields all left blank send no amounts: no threshold, so the same problem.
    expect(parseOfferDefinition(withBundle({ minSubtotal: {}, triggerProductIds: [] }))).toEqual({ ok: false, errors: { "bundle.minSubtotal": "offers.errors.giftCondition" } });
    expect(parseOfferDefinition(withBundle({ triggerProductIds: [P(3)] }))).toEqual({ ok: false, errors: { "bundle.triggerProductIds": "offers.errors.giftIsTrigger" } });
  });

  it("takes thresholds as whole minor units above 0, per three-letter currency, and stores no amounts as none", () => {
    for (const [amounts, path] of [[{ EUR: 0 }, "bundle.minSubtotal.EUR"], [{ EUR: -100 }, "bundle.minSubtotal.EUR"], [{ USD: 49.5 }, "bundle.minSubtotal.USD"], [{ USD: Number.NaN }, "bundle.minSubtotal.USD"]] as const) {
      expect(parseOfferDefinition(withBundle({ minSubtotal: amounts })), JSON.stringify(amounts)).toEqual({ ok: false, errors: { [path]: "offers.errors.threshold" } });
    }
    expect(parseOfferDefinition(withBundle({ minSubtotal: { eur: 100 } }))).toMatchObject({ ok: false, errors: { "bundle.minSubtotal.eur": "offers.errors.currency" } });
    const blank = parseOfferDefinition(withBundle({ minSubtotal: {} }));
    expect(blank.ok && blank.offer.kind === "bundle" && blank.offer.bundle.type === "gift" && blank.offer.bundle.minSubtotal).toBeNull();
  });

  it("exports and imports unchanged, and names the line of a bad threshold", () => {
    const file = exportOffers([phoneGift({}, { name: "Free charger" }, "g")], new Date("2026-11-23T00:00:00Z"));
    const result = parseOfferImport(file, "bundle");
    expect(result).toEqual({ ok: true, offers: [definition(phoneGift({}, { name: "Free charger" }))] });
    expect(parseOfferImport(file.replace('"EUR":9000', '"EUR":0'), "bundle")).toEqual({ ok: false, problems: [{ line: 6, path: "bundle.minSubtotal.EUR", message: "offers.errors.threshold" }] });
  });
});

describe("a gift with purchase, as the shopper is offered it", () => {
  it("prices the gift in the shopper's currency with the threshold in that currency", () => {
    const offer = phoneGift();
    expect(buildProposal(offer, catalog, "USD", present())).toEqual({ type: "gift", item: { productId: P(3), variantId: V(31), quantity: 1, unitPrice: 3900 }, threshold: 10000, triggered: false });
    expect(buildProposal(offer, catalog, "EUR", present())).toEqual({ type: "gift", item: { productId: P(3), variantId: V(31), quantity: 1, unitPrice: 3510 }, threshold: 9000, triggered: false });
  });

  it("is earned at once with a trigger product; without a threshold in the currency only then", () => {
    const dollarsOnly = phoneGift({ minSubtotal: { USD: 10000 } });
    const onPhone = present({ triggers: [{ productId: P(1), variantId: V(11) }] });
    expect(buildProposal(dollarsOnly, catalog, "EUR", onPhone)).toMatchObject({ type: "gift", threshold: null, triggered: true });
    expect(buildProposal(dollarsOnly, catalog, "EUR", present({ triggers: [{ productId: P(2), variantId: V(21) }] }))).toBeNull();
    expect(buildProposal(dollarsOnly, catalog, "USD", present({ triggers: [{ productId: P(2), variantId: V(21) }] }))).toMatchObject({ threshold: 10000, triggered: false });
    expect(buildProposal(phoneGift({ minSubtotal: null }), catalog, "USD", present())).toBeNull();
  });

  it("is never a sold-out gift, one without a price in the currency, or one the shopper has or looks at", () => {
    expect(buildProposal(phoneGift({ gift: { productId: P(5), variantId: null, quantity: 1 } }), catalog, "USD", present())).toBeNull();
    expect(buildProposal(phoneGift({ gift: { productId: P(1), variantId: V(13), quantity: 1 }, triggerProductIds: [] }), catalog, "USD", present())).toBeNull(); // that variant is sold out
    expect(buildProposal(phoneGift({ gift: { productId: P(1), variantId: null, quantity: 1 }, triggerProductIds: [] }), catalog, "USD", present())).toMatchObject({ item: { variantId: V(11) } });
    const noEuros = catalogOf(products.map((p) => (p.id === P(3) ? { ...p, variants: p.variants.map((v) => ({ ...v, prices: { USD: v.prices.USD! } })) } : p)));
    expect(buildProposal(phoneGift(), noEuros, "EUR", present())).toBeNull();
    expect(buildProposal(phoneGift(), catalog, "USD", present({ productIds: new Set([P(3)]), variantIds: new Set([V(31)]) }))).toBeNull();
    expect(buildProposal(phoneGift(), catalog, "USD", present({ triggers: [{ productId: P(3), variantId: V(31) }] }))).toBeNull();
    // Bought before, when the merchant leaves out past purchases.
    const excluding = phoneGift({}, { targeting: { ...phoneGift().targeting, excludePurchased: true } });
    expect(buildProposal(excluding, catalog, "USD", present({ purchased: new Set([P(3)]) }))).toBeNull();
  });

  it("goes in every product page's offers with a threshold, and only in the trigger products' without one", () => {
    const ids = products.map((p) => p.id);
    const withThreshold = productOffers([phoneGift({}, {}, "gift")], catalog, ids, ["USD", "EUR"], Date.UTC(2026, 10, 23));
    // Not on the gift's own page.
    expect([...withThreshold.keys()]).toEqual([P(1), P(2), P(4), P(5), P(6)]);
    expect(withThreshold.get(P(1))!.offers[0]!.proposals.EUR).toMatchObject({ type: "gift", triggered: true, threshold: 9000 });
    expect(withThreshold.get(P(2))!.offers[0]!.proposals.USD).toMatchObject({ type: "gift", triggered: false, threshold: 10000 });
    expect(withThreshold.get(P(2))!.handles).toEqual({ [P(3)]: "charger" });
    const triggersOnly = productOffers([phoneGift({ minSubtotal: null }, {}, "gift")], catalog, ids, ["USD"], Date.UTC(2026, 10, 23));
    expect([...triggersOnly.keys()]).toEqual([P(1)]);
  });

  it("is selected for the cart whatever its lines, until the gift is in it, and never beside another offer adding it", () => {
    const cart = (lines: [number, number][], currency = "EUR") => context({ placement: "cart", product: null, currency, lines: lines.map(([p, v]) => ({ productId: P(p), variantId: V(v), quantity: 1 })), subtotal: 5000 });
    const gift = phoneGift({}, {}, "gift");
    const run = (offers: Offer[], c: ReturnType<typeof cart>) => select(compileOffers(offers), catalog, c, PACING).offers;
    expect(run([gift], cart([[4, 41]]))[0]).toMatchObject({ offerId: "gift", proposal: { type: "gift", threshold: 9000, triggered: false } });
    expect(run([gift], cart([[4, 41], [1, 11]], "USD"))[0]).toMatchObject({ proposal: { type: "gift", threshold: 10000, triggered: true } });
    expect(run([gift], cart([[4, 41], [3, 31]]))).toEqual([]);
    // The phone's set adds the charger too: the better-ranked offer keeps it.
    const fbt = phoneFbt({ priority: 90 }, "fbt");
    expect(run([fbt, gift], cart([[1, 11]])).map((o) => o.offerId)).toEqual(["fbt"]);
  });
});
