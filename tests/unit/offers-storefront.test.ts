import { describe, expect, it } from "vitest";
import { catalogOf } from "~/offers/catalog";
import { bundlePricing, fitFunctionConfig, learningAnchors, learnsFromOrders, productOffers } from "~/offers/storefront";
import { catalog, offer, P, phoneFbt, phoneLadder, products, targeting } from "./support/offers";

const NOW = Date.UTC(2026, 10, 23);
const ids = products.map((p) => p.id);

describe("what the storefront reads", () => {
  it("puts each product's page offers in its metafield, priced per currency, best first", () => {
    const urgent = phoneLadder({ priority: 90 }, "ladder");
    const pages = productOffers([phoneFbt({}, "fbt"), urgent], catalog, ids, ["USD", "EUR", "GBP"], NOW);
    expect([...pages.keys()]).toEqual([P(1)]); // only the phone triggers these offers
    const phone = pages.get(P(1))!;
    expect(phone.offers.map((o) => o.id)).toEqual(["ladder", "fbt"]);
    // No GBP prices in the catalog: no GBP proposal rather than a wrong one.
    expect(Object.keys(phone.offers[1]!.proposals)).toEqual(["USD", "EUR"]);
    expect(phone.offers[1]!.proposals.USD).toMatchObject({ type: "bundle", price: { regular: 76700, price: 69030 } });
  });

  it("leaves out paused, ended and cart-only offers, and keeps dates and audience for the block", () => {
    const later = NOW + 86_400_000;
    const pages = productOffers(
      [phoneFbt({ status: "paused" }), phoneFbt({ schedule: { startsAt: null, endsAt: NOW } }), phoneFbt({ targeting: targeting({ placements: ["cart"] }) }), phoneFbt({ schedule: { startsAt: later, endsAt: null }, targeting: targeting({ customerType: "returning" }) }, "soon")],
      catalog, ids, ["USD"], NOW,
    );
    const only = pages.get(P(1))!.offers;
    expect(only.map((o) => o.id)).toEqual(["soon"]);
    expect(only[0]).toMatchObject({ starts_at: new Date(later).toISOString(), ends_at: null, audience: { customerType: "returning" } });
  });

  it("gives the discount Function every active bundle with its rules", () => {
    const tiers = offer({ kind: "bundle", bundle: { type: "quantity_tiers", tiers: [{ minQuantity: 2, discount: { type: "percentage", basisPoints: 500 } }] } }, "tiers");
    const pricing = bundlePricing([phoneFbt({ status: "draft" }), phoneLadder(), tiers, phoneFbt({ priority: 80 }, "fbt")], catalog);
    expect(pricing.bundles.map((b) => [b.id, b.bundle.type])).toEqual([["fbt", "fbt"], ["tiers", "quantity_tiers"]]);
  });

  it("keeps the Function's configuration under Shopify's 10 KB, leaving out the lowest-ranked bundles", () => {
    const many = Array.from({ length: 60 }, (_, i) => phoneFbt({ priority: 100 - i }, `bundle-${String(i).padStart(2, "0")}`));
    const { pricing, omitted } = fitFunctionConfig(bundlePricing(many, catalog));
    expect(new TextEncoder().encode(JSON.stringify(pricing)).length).toBeLessThanOrEqual(10_000);
    expect(pricing.bundles.length + omitted.length).toBe(60);
    expect(omitted.length).toBeGreaterThan(0);
    expect(pricing.bundles.map((b) => b.id)).toEqual(many.slice(0, pricing.bundles.length).map((o) => o.id));
    expect(omitted).toEqual(many.slice(pricing.bundles.length).map((o) => o.id));
    expect(fitFunctionConfig(bundlePricing(many.slice(0, 2), catalog)).omitted).toEqual([]);
  });

  it("writes learned companions out as today's products, for the Function that cannot see orders", () => {
    const learning = catalogOf(products, { companions: new Map([[P(1), [P(2), P(5), P(4), P(6)]]]) });
    const mixed = phoneFbt({}, "mixed");
    if (mixed.kind === "bundle" && mixed.bundle.type === "fbt") Object.assign(mixed.bundle, { companions: [mixed.bundle.companions[0]], learned: 2 });
    const [resolved] = bundlePricing([mixed], learning).bundles;
    // Pinned case first; then the cable (the case is taken, the stand is sold out) and the mattress.
    expect(resolved!.bundle).toMatchObject({ type: "fbt", learned: 0, companions: [{ productId: P(2) }, { productId: P(4) }, { productId: P(6) }] });
    expect(learningAnchors([mixed, phoneFbt()])).toEqual([P(1)]);
    expect(learnsFromOrders([mixed])).toBe(true);
    expect(learnsFromOrders([phoneFbt(), phoneLadder()])).toBe(false);
    expect(learnsFromOrders([{ ...mixed, status: "paused" }])).toBe(false);
  });
});
