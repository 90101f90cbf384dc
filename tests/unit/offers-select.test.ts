import { describe, expect, it } from "vitest";
import { catalogOf } from "~/offers/catalog";
import { compileOffers, select } from "~/offers/select";
import { catalog, context, offer, P, PACING, phoneFbt, phoneLadder, products, targeting, V } from "./support/offers";

const run = (offers: Parameters<typeof compileOffers>[0], ctx = context(), pacing = PACING) => select(compileOffers(offers), catalog, ctx, pacing);

describe("select: bundles", () => {
  it("proposes the phone's case and charger on the phone page, priced with the bundle discount", () => {
    const { offers } = run([phoneFbt({}, "fbt")]);
    expect(offers).toHaveLength(1);
    const proposal = offers[0]!.proposal;
    expect(proposal.type).toBe("bundle");
    if (proposal.type !== "bundle") return;
    expect(proposal.items.map((i) => [i.variantId, i.role])).toEqual([[V(11), "have"], [V(21), "add"], [V(31), "add"]]);
    // 699.00 + 29.00 + 39.00 = 767.00; 10 % off rounds the discount down: 76.70.
    expect(proposal.price).toEqual({ currency: "USD", regular: 76700, price: 69030 });
  });

  it("never proposes what is already in the cart, and drops a companion that is sold out", () => {
    const withSoldOut = offer({ kind: "bundle", bundle: { type: "fbt", anchorProductId: P(1), companions: [{ productId: P(2), variantId: null, quantity: 1 }, { productId: P(5), variantId: null, quantity: 1 }], discount: { type: "none" } } });
    const ctx = context({ lines: [{ productId: P(3), variantId: V(31), quantity: 1 }], subtotal: 3900 });
    const { offers } = run([phoneFbt(), withSoldOut], ctx);
    const added = offers.flatMap((o) => (o.proposal.type === "bundle" ? o.proposal.items.filter((i) => i.role === "add").map((i) => i.productId) : []));
    expect(added).toEqual([P(2)]);
  });

  it("fills a bundle with learned companions after the merchant's own, skipping what cannot be offered", () => {
    const learning = catalogOf(products, { companions: new Map([[P(1), [P(2), P(5), P(4), P(3)]]]) });
    const mixed = offer({ kind: "bundle", bundle: { type: "fbt", anchorProductId: P(1), companions: [{ productId: P(2), variantId: null, quantity: 1 }], learned: 2, discount: { type: "none" } } });
    const cart = context({ lines: [{ productId: P(3), variantId: V(31), quantity: 1 }], subtotal: 3900 });
    const { offers } = select(compileOffers([mixed]), learning, cart, PACING);
    const proposal = offers[0]!.proposal;
    // Case (pinned); then two learned: the case is taken and the stand sold out, so the cable,
    // and the charger, which the shopper already has: it completes the set, nothing to add.
    expect(proposal.type === "bundle" && proposal.items.map((i) => [i.productId, i.role])).toEqual([[P(1), "have"], [P(2), "add"], [P(4), "add"], [P(3), "have"]]);
    const automatic = offer({ kind: "bundle", bundle: { type: "fbt", anchorProductId: P(1), companions: [], learned: 3, discount: { type: "none" } } });
    expect(select(compileOffers([automatic]), catalog, context(), PACING).offers).toEqual([]); // nothing learned yet: nothing to offer
  });

  it("skips a fixed bundle when one of its items is sold out", () => {
    const fixed = offer({ kind: "bundle", bundle: { type: "fixed", items: [{ productId: P(1), variantId: null, quantity: 1 }, { productId: P(5), variantId: null, quantity: 1 }], discount: { type: "fixed_price", prices: { USD: 70000 } } } });
    expect(run([fixed]).offers).toEqual([]);
  });

  it("makes no offer in a currency the merchant gave no amount for", () => {
    const amountOff = phoneFbt();
    if (amountOff.kind === "bundle" && amountOff.bundle.type === "fbt") amountOff.bundle.discount = { type: "amount", amounts: { USD: 500 } };
    expect(run([amountOff], context({ currency: "EUR" })).offers).toEqual([]);
    expect(run([amountOff]).offers).toHaveLength(1);
  });

  it("offers quantity tiers on the targeted product's own variant", () => {
    const tiers = offer({ kind: "bundle", targeting: targeting({ products: { productIds: [], variantIds: [], collectionIds: ["accessories"], tags: [], vendors: [], productTypes: [] } }), bundle: { type: "quantity_tiers", tiers: [{ minQuantity: 2, discount: { type: "percentage", basisPoints: 1000 } }, { minQuantity: 3, discount: { type: "percentage", basisPoints: 1500 } }] } });
    const { offers } = run([tiers], context({ product: { productId: P(4), variantId: V(41) } }));
    expect(offers[0]?.proposal).toEqual({ type: "tiers", productId: P(4), variantId: V(41), tiers: [{ minQuantity: 2, unit: { currency: "USD", regular: 1900, price: 1710 }, discount: expect.objectContaining({ type: "percentage" }) }, { minQuantity: 3, unit: { currency: "USD", regular: 1900, price: 1615 }, discount: expect.objectContaining({ type: "percentage" }) }] });
    expect(run([tiers]).offers).toEqual([]); // the phone is not in the collection
  });
});

describe("select: upgrades", () => {
  it("proposes 64 GB -> 128 GB with the difference less the incentive", () => {
    const { offers } = run([phoneLadder()]);
    expect(offers[0]?.proposal).toEqual({
      type: "upgrade",
      from: { productId: P(1), variantId: V(11), unitPrice: 69900 },
      to: { productId: P(1), variantId: V(12), quantity: 1, unitPrice: 79900 },
      gain: "Twice the storage",
      difference: { currency: "USD", regular: 10000, price: 8000 },
    });
  });

  it("falls back to what customers moved up to where no rung applies (a learned ladder)", () => {
    const learning = catalogOf(products, { upgrades: new Map([[P(4), [P(5), P(3)]], [P(2), [P(1)]]]) });
    const learnedOnly = offer({ kind: "upgrade", rungs: [], learned: true, incentive: { type: "none" } });
    // The cable's buyers moved up to the stand (sold out) and the charger: the charger it is.
    const cable = select(compileOffers([learnedOnly]), learning, context({ product: { productId: P(4), variantId: V(41) } }), PACING).offers[0]?.proposal;
    expect(cable).toEqual({ type: "upgrade", from: { productId: P(4), variantId: V(41), unitPrice: 1900 }, to: { productId: P(3), variantId: V(31), quantity: 1, unitPrice: 3900 }, gain: "", difference: { currency: "USD", regular: 2000, price: 2000 } });
    // Rungs first: the phone's own ladder still decides on the phone's page.
    const mixed = phoneLadder({}, "mixed");
    if (mixed.kind === "upgrade") mixed.learned = true;
    expect(select(compileOffers([mixed]), learning, context(), PACING).offers[0]?.proposal).toMatchObject({ type: "upgrade", to: { variantId: V(12) } });
    expect(select(compileOffers([learnedOnly]), learning, context(), PACING).offers).toEqual([]); // nothing learned for the phone
  });

  it("does not offer the sold-out top rung, and upgrades a cart line on the cart", () => {
    expect(run([phoneLadder()], context({ product: { productId: P(1), variantId: V(12) } })).offers).toEqual([]);
    const cart = context({ placement: "cart", product: null, lines: [{ productId: P(1), variantId: V(11), quantity: 1 }], subtotal: 69900 });
    expect(run([phoneLadder()], cart).offers[0]?.proposal.type).toBe("upgrade");
  });
});

describe("select: ranking, caps and the holdout", () => {
  it("orders by priority, then specificity, then age, then id", () => {
    const anyProduct = offer({ kind: "bundle", priority: 50, bundle: { type: "quantity_tiers", tiers: [{ minQuantity: 2, discount: { type: "percentage", basisPoints: 500 } }] } }, "z-any", 1);
    const named = phoneLadder({ priority: 50 }, "y-named");
    const urgent = phoneFbt({ priority: 90 }, "x-urgent");
    const { offers } = run([anyProduct, named, urgent]);
    expect(offers.map((o) => o.offerId)).toEqual(["x-urgent", "y-named", "z-any"]);
    const twinA = phoneFbt({}, "b-twin");
    const twinB = phoneFbt({}, "a-twin");
    twinA.createdAt = twinB.createdAt = 5;
    // Same products: only the winner of the tie proposes them.
    expect(run([twinA, twinB]).offers.map((o) => o.offerId)).toEqual(["a-twin"]);
  });

  it("respects the page cap and what is left of the shopper's daily allowance", () => {
    const offers = [phoneFbt(), phoneLadder()];
    expect(run(offers, context(), { ...PACING, perPage: 1 }).offers).toHaveLength(1);
    expect(run(offers, context({ shopper: { key: "s", offersShownToday: 9 } })).offers).toHaveLength(1);
    expect(run(offers, context({ shopper: { key: "s", offersShownToday: 10 } })).offers).toHaveLength(0);
  });

  it("shows nothing to shoppers in the holdout, and the same shoppers every time", () => {
    const compiled = compileOffers([phoneFbt()]);
    const held = Array.from({ length: 1000 }, (_, i) => select(compiled, catalog, context({ shopper: { key: `s${i}`, offersShownToday: 0 } }), { ...PACING, holdoutBasisPoints: 1000 }).holdout);
    const share = held.filter(Boolean).length / held.length;
    expect(share).toBeGreaterThan(0.07);
    expect(share).toBeLessThan(0.13);
    expect(select(compiled, catalog, context({ shopper: { key: "s7", offersShownToday: 0 } }), { ...PACING, holdoutBasisPoints: 1000 }).holdout).toBe(held[7]);
  });

  it("honours dates, placements, currencies, subtotal and customer targeting", () => {
    const now = context().now;
    expect(run([phoneFbt({ schedule: { startsAt: now + 1, endsAt: null } })]).offers).toEqual([]);
    expect(run([phoneFbt({ schedule: { startsAt: null, endsAt: now } })]).offers).toEqual([]);
    expect(run([phoneFbt({ status: "paused" })]).offers).toEqual([]);
    expect(run([phoneFbt({ targeting: targeting({ placements: ["cart"] }) })]).offers).toEqual([]);
    expect(run([phoneFbt({ targeting: targeting({ currencies: ["EUR"] }) })]).offers).toEqual([]);
    expect(run([phoneFbt({ targeting: targeting({ subtotal: { USD: { min: 10000, max: null } } }) })]).offers).toEqual([]);
    expect(run([phoneFbt({ targeting: targeting({ customerType: "returning" }) })]).offers).toEqual([]);
    const vip = { id: "c1", tags: ["vip"], ordersCount: 2, purchasedProductIds: [P(2)] };
    expect(run([phoneFbt({ targeting: targeting({ customerTags: { include: ["vip"], exclude: [] } }) })], context({ customer: vip })).offers).toHaveLength(1);
    const bought = run([phoneFbt({ targeting: targeting({ excludePurchased: true }) })], context({ customer: vip })).offers[0]!.proposal;
    expect(bought.type === "bundle" && bought.items.map((i) => i.productId)).toEqual([P(1), P(3)]);
  });

  it("assigns A/B content by the split, stably per shopper", () => {
    const ab = phoneFbt({ content: [{ id: "a", weight: 50, title: "A", body: "" }, { id: "b", weight: 50, title: "B", body: "" }] }, "ab");
    const compiled = compileOffers([ab]);
    const seen = Array.from({ length: 400 }, (_, i) => select(compiled, catalog, context({ shopper: { key: `k${i}`, offersShownToday: 0 } }), PACING).offers[0]!.contentVariantId);
    const a = seen.filter((v) => v === "a").length;
    expect(a).toBeGreaterThan(150);
    expect(a).toBeLessThan(250);
    expect(select(compiled, catalog, context({ shopper: { key: "k3", offersShownToday: 0 } }), PACING).offers[0]!.contentVariantId).toBe(seen[3]);
  });
});

describe("select: post-purchase funnels", () => {
  const funnel = offer({
    kind: "funnel", targeting: targeting({ placements: ["post_purchase"] }),
    root: { item: { productId: P(3), variantId: null, quantity: 1 }, discount: { type: "percentage", basisPoints: 2000 }, headline: "Add a charger", accept: null, decline: { item: { productId: P(4), variantId: null, quantity: 1 }, discount: { type: "none" }, headline: "A cable, then?", accept: null, decline: null } },
  });
  const order = context({ placement: "post_purchase", product: null, lines: [{ productId: P(1), variantId: V(11), quantity: 1 }], subtotal: 69900 });

  it("a learned step offers what the order's products are most bought with, when the merchant's cannot be", () => {
    const learning = catalogOf(products, { companions: new Map([[P(1), [P(2), P(3)]]]) });
    const step = { item: { productId: "", variantId: null, quantity: 1 }, learned: true, discount: { type: "none" as const }, headline: "From your orders", accept: null, decline: null };
    const learned = offer({ kind: "funnel", targeting: targeting({ placements: ["post_purchase"] }), root: step });
    const withCase = { ...order, lines: [...order.lines, { productId: P(2), variantId: V(21), quantity: 1 }] };
    // The case is in the order already: the charger, the phone's next companion.
    expect(select(compileOffers([learned]), learning, withCase, PACING).offers[0]?.proposal).toMatchObject({ type: "funnel_step", item: { productId: P(3) } });
    // The merchant's product first while it can be offered; learned only when it cannot.
    const mixed = offer({ kind: "funnel", targeting: targeting({ placements: ["post_purchase"] }), root: { ...step, item: { productId: P(4), variantId: null, quantity: 1 } } });
    expect(select(compileOffers([mixed]), learning, order, PACING).offers[0]?.proposal).toMatchObject({ item: { productId: P(4) } });
    const cableBought = { ...order, lines: [...order.lines, { productId: P(4), variantId: V(41), quantity: 1 }] };
    expect(select(compileOffers([mixed]), learning, cableBought, PACING).offers[0]?.proposal).toMatchObject({ item: { productId: P(2) } });
  });

  it("offers the first step after payment, not what the order already holds", () => {
    expect(run([funnel], order).offers[0]?.proposal).toEqual({ type: "funnel_step", item: { productId: P(3), variantId: V(31), quantity: 1, unitPrice: 3900 }, price: { currency: "USD", regular: 3900, price: 3120 }, headline: "Add a charger", hasAccept: false, hasDecline: true });
    expect(run([funnel], { ...order, lines: [...order.lines, { productId: P(3), variantId: V(31), quantity: 1 }] }).offers).toEqual([]);
  });
});
