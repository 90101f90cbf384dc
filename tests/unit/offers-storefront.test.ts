import { describe, expect, it } from "vitest";
import { learningAnchors, learnsFromOrders, productOffers } from "~/offers/storefront";
import { catalog, P, phoneFbt, phoneLadder, products, targeting } from "./support/offers";

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

  it("knows which offers learn from the shop's orders, and for which products", () => {
    const mixed = phoneFbt({}, "mixed");
    if (mixed.kind === "bundle" && mixed.bundle.type === "fbt") Object.assign(mixed.bundle, { companions: [mixed.bundle.companions[0]], learned: 2 });
    expect(learningAnchors([mixed, phoneFbt()])).toEqual([P(1)]);
    expect(learnsFromOrders([mixed])).toBe(true);
    expect(learnsFromOrders([phoneFbt(), phoneLadder()])).toBe(false);
    expect(learnsFromOrders([{ ...mixed, status: "paused" }])).toBe(false);
  });
});
