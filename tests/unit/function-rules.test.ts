import { describe, expect, it } from "vitest";
import { catalogOf } from "~/offers/catalog";
import { discountSettings, FUNCTION_METAFIELD_LIMIT, functionRules, parentBundle } from "~/offers/function-rules";
import type { Offer } from "~/offers/model";
import { buildProposal } from "~/offers/proposals";
import { catalog, offer, P, phoneFbt, phoneLadder, products, targeting, V } from "./support/offers";

const NOW = Date.UTC(2026, 10, 23);
const ids = products.map((p) => p.id);
const rulesFor = (offers: Offer[], parentVariants = new Map<string, string>(), cat = catalog) =>
  functionRules({ offers, catalog: cat, productIds: ids, currencies: ["USD", "EUR"], parentVariants, now: NOW });

const fixed = (overrides: Record<string, unknown> = {}, id = "fixed") =>
  offer({ kind: "bundle", bundle: { type: "fixed", items: [{ productId: P(1), variantId: V(11), quantity: 1 }, { productId: P(2), variantId: null, quantity: 2 }], discount: { type: "amount", amounts: { USD: 1001 } } }, ...overrides }, id);
const tiers = (overrides: Record<string, unknown> = {}, id = "tiers") =>
  offer({ kind: "bundle", bundle: { type: "quantity_tiers", tiers: [{ minQuantity: 2, discount: { type: "percentage", basisPoints: 500 } }, { minQuantity: 5, discount: { type: "none" } }] }, ...overrides }, id);
const gift = (id = "gift") =>
  offer({ kind: "bundle", bundle: { type: "gift", gift: { productId: P(4), variantId: null, quantity: 1 }, minSubtotal: { USD: 10000 }, triggerProductIds: [P(6)] } }, id);

describe("the checkout Functions' rules", () => {
  it("writes each rule on the products it involves, ranked, and only for live offers", () => {
    const offers = [phoneFbt({ priority: 80 }, "fbt"), tiers({ targeting: targeting({ products: { productIds: [], variantIds: [], collectionIds: ["accessories"], tags: [], vendors: [], productTypes: [] } }) }), gift(), phoneLadder(), phoneFbt({ status: "paused" }, "paused"), phoneFbt({ schedule: { startsAt: NOW + 1000, endsAt: null } }, "later")];
    const rules = rulesFor(offers);
    // The set's three products carry it; the tier goes to the targeted collection's products; the gift to the gift.
    expect(rules.discounts.get(P(1))!.rules.map((r) => r.id)).toEqual(["fbt"]);
    expect(rules.discounts.get(P(2))!.rules.map((r) => [r.id, r.r])).toEqual([["fbt", 0], ["tiers", 1]]);
    expect(rules.discounts.get(P(4))!.rules.map((r) => r.id)).toEqual(["tiers", "gift"]);
    expect(rules.discounts.has(P(6))).toBe(false);
    expect(rules.discounts.get(P(1))!.rules[0]).toMatchObject({ k: "fbt", off: { bp: 1000 }, items: [{ p: P(1), v: null, q: 1 }, { p: P(2), v: null, q: 1 }, { p: P(3), v: null, q: 1 }] });
    // A tier without a discount is no tier.
    expect(rules.discounts.get(P(2))!.rules[1]).toMatchObject({ k: "tiers", tiers: [{ min: 2, off: { bp: 500 } }] });
    expect(rules.discounts.get(P(4))!.rules[1]).toMatchObject({ k: "gift", gift: { p: P(4), q: 1 }, min: { USD: 10000 }, trig: [P(6)] });
    // The scheduled one is not written yet, and the sync is due when it starts.
    expect(rules.nextChange).toBe(NOW + 1000);
    expect(rules.bundles.size).toBe(0);
  });

  it("prices fixed bundles through their parent, and leaves out a bundle whose parent is not made yet", () => {
    const mix = offer({ kind: "bundle", bundle: { type: "mix_match", productIds: [P(2)], collectionIds: ["home"], minItems: 2, maxItems: 3, discount: { type: "percentage", basisPoints: 1500 } } }, "mix");
    expect(rulesFor([fixed(), mix]).bundles.size).toBe(0);
    const rules = rulesFor([fixed(), mix], new Map([["fixed", V(901)], ["mix", V(902)]]));
    expect(rules.bundles.get(P(1))!.rules).toEqual([expect.objectContaining({ k: "fixed", pv: V(901), title: "Complete the set", img: null, off: { amt: { USD: 1001 } } })]);
    const pictured = catalogOf(products.map((p) => ({ ...p, imageUrl: `https://cdn.example/${p.handle}.jpg` })));
    expect(rulesFor([fixed()], new Map([["fixed", V(901)]]), pictured).bundles.get(P(2))!.rules[0]).toMatchObject({ img: "https://cdn.example/phone.jpg" });
    expect(rules.bundles.get(P(2))!.rules.map((r) => r.id)).toEqual(["fixed", "mix"]);
    expect(rules.bundles.get(P(6))!.rules).toEqual([expect.objectContaining({ k: "mix", min: 2, max: 3, pv: V(902) })]);
    expect([...rules.parents.keys()]).toEqual([V(901)]); // a mix-and-match has no fixed contents to expand to
  });

  it("splits a parent's price over its components so they add up to what the page showed", () => {
    const bundle = fixed();
    const shown = buildProposal(bundle, catalog, "USD", { productIds: new Set(), variantIds: new Set(), purchased: new Set(), triggers: [] });
    const parent = parentBundle("fixed", [{ productId: P(1), variantId: V(11), quantity: 1 }, { productId: P(2), variantId: null, quantity: 2 }], { type: "amount", amounts: { USD: 1001 } }, catalog, ["USD", "EUR"])!;
    const total = (currency: string) => parent.items.reduce((sum, i) => sum + i.price[currency]! * i.q, 0);
    expect(shown).toMatchObject({ type: "bundle", price: { price: 69900 + 2 * 2900 - 1001 } });
    expect(total("USD")).toBe(69900 + 2 * 2900 - 1001);
    expect(parent.items.map((i) => i.v)).toEqual([V(11), V(21)]);
    // No EUR amount: not offered in EUR, so no EUR price to expand to.
    expect(parent.items[0]!.price.EUR).toBeUndefined();
    const percent = parentBundle("p", [{ productId: P(2), variantId: null, quantity: 3 }], { type: "percentage", basisPoints: 3333 }, catalog, ["USD"])!;
    // 3 × 2900 = 8700, 33.33 % = 2899.71 -> 2899 off; 966 per unit is all that divides: never more off than configured.
    expect(percent.items[0]!.price.USD! * 3).toBeGreaterThanOrEqual(8700 - 2899);
    expect(parentBundle("x", [{ productId: P(5), variantId: null, quantity: 1 }], { type: "none" }, catalog, ["USD"])).toBeNull(); // sold out
  });

  it("keeps each product's rules under Shopify's 10 KB, leaving out the lowest ranked", () => {
    const many = Array.from({ length: 120 }, (_, i) => phoneFbt({ priority: 100 - (i % 100) }, `bundle-${String(i).padStart(3, "0")}`));
    const rules = rulesFor(many);
    const phone = rules.discounts.get(P(1))!;
    expect(new TextEncoder().encode(JSON.stringify(phone)).length).toBeLessThanOrEqual(FUNCTION_METAFIELD_LIMIT);
    expect(phone.rules.length + rules.omitted.length).toBe(120);
    expect(rules.omitted.length).toBeGreaterThan(0);
    expect(phone.rules.map((r) => r.r)).toEqual(phone.rules.map((_, i) => i));
  });

  it("writes learned companions as today's products, for a Function that cannot see orders", () => {
    const learning = catalogOf(products, { companions: new Map([[P(1), [P(2), P(5), P(4), P(6)]]]) });
    const mixed = phoneFbt({}, "mixed");
    if (mixed.kind === "bundle" && mixed.bundle.type === "fbt") Object.assign(mixed.bundle, { companions: [mixed.bundle.companions[0]], learned: 2 });
    const rule = rulesFor([mixed], new Map(), learning).discounts.get(P(1))!.rules[0]!;
    // Pinned case first; then the cable (the stand is sold out) and the mattress.
    expect(rule).toMatchObject({ k: "fbt", items: [{ p: P(1) }, { p: P(2) }, { p: P(4) }, { p: P(6) }] });
  });

  it("gives the discount the customer tags audiences name, and its messages", () => {
    const vip = tiers({ targeting: targeting({ customerTags: { include: ["vip"], exclude: ["staff"] } }) });
    const rules = rulesFor([vip, gift()]);
    expect(rules.discounts.get(P(1))!.rules[0]).toMatchObject({ aud: { inc: ["vip"], exc: ["staff"] } });
    expect(rules.discounts.get(P(4))!.rules.find((r) => r.k === "gift")!.aud).toBeUndefined();
    const messages = { en: { tiers: "Volume discount", fbt: "Bundle discount", gift: "Free gift" } };
    expect(discountSettings(rules, messages)).toEqual({ v: 1, tags: ["staff", "vip"], messages });
  });
});
