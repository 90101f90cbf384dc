// The selection engine's promises, checked on thousands of generated shops, offers and carts.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { catalogOf, type CatalogProduct } from "~/offers/catalog";
import { EMPTY_TARGETS, type Discount, type ItemDiscount, type Offer } from "~/offers/model";
import type { Price } from "~/offers/pricing";
import type { Proposal } from "~/offers/proposals";
import { compileOffers, select, type Pacing } from "~/offers/select";
import type { SelectionContext } from "~/offers/targeting";

const N_PRODUCTS = 8;
const pid = (n: number) => `p${n}`;
const CURRENCIES = ["USD", "EUR"];

const productArb = (n: number) =>
  fc.record({
    variants: fc.array(fc.record({ usd: fc.integer({ min: 0, max: 500_000 }), eurMissing: fc.boolean(), available: fc.boolean() }), { minLength: 1, maxLength: 3 }),
    collection: fc.constantFrom("c1", "c2"),
  }).map(({ variants, collection }): CatalogProduct => ({
    id: pid(n), title: `Product ${n}`, handle: `product-${n}`, collectionIds: [collection], tags: [], vendor: "v", productType: "t",
    variants: variants.map((v, i) => ({ id: `${pid(n)}v${i}`, productId: pid(n), title: `v${i}`, available: v.available, prices: (v.eurMissing ? { USD: v.usd } : { USD: v.usd, EUR: v.usd + 1 }) as Record<string, number> })),
  }));
const catalogArb = fc.tuple(...Array.from({ length: N_PRODUCTS }, (_, n) => productArb(n)));

const amounts = fc.record({ USD: fc.integer({ min: 0, max: 900_000 }) });
const itemDiscountArb: fc.Arbitrary<ItemDiscount> = fc.oneof(
  fc.constant({ type: "none" as const }),
  fc.integer({ min: 1, max: 10_000 }).map((basisPoints) => ({ type: "percentage" as const, basisPoints })),
  amounts.map((a) => ({ type: "amount" as const, amounts: a })),
);
const discountArb: fc.Arbitrary<Discount> = fc.oneof(itemDiscountArb, amounts.map((p) => ({ type: "fixed_price" as const, prices: p })));
const productRef = fc.integer({ min: 0, max: N_PRODUCTS - 1 }).map(pid);
const itemArb = fc.record({ productId: productRef, variantId: fc.constant(null), quantity: fc.integer({ min: 1, max: 3 }) });
const distinctItems = (min: number) => fc.uniqueArray(itemArb, { minLength: min, maxLength: 4, selector: (i) => i.productId });

const bundleArb = fc.oneof(
  fc.record({ type: fc.constant("fixed" as const), items: distinctItems(2), discount: discountArb }),
  fc.record({ anchor: productRef, companions: distinctItems(1), learned: fc.integer({ min: 0, max: 2 }), discount: discountArb }).map(({ anchor, companions, learned, discount }) => ({ type: "fbt" as const, anchorProductId: anchor, companions: companions.filter((c) => c.productId !== anchor), learned, discount })),
  fc.record({ type: fc.constant("mix_match" as const), productIds: fc.uniqueArray(productRef, { maxLength: 4 }), collectionIds: fc.subarray(["c1", "c2"]), minItems: fc.integer({ min: 1, max: 3 }), maxItems: fc.constant(4), discount: discountArb }),
  fc.record({ type: fc.constant("quantity_tiers" as const), tiers: fc.array(fc.record({ minQuantity: fc.integer({ min: 2, max: 9 }), discount: itemDiscountArb }), { minLength: 1, maxLength: 3 }) }),
  // A threshold in dollars only: in euros only a trigger product earns the gift.
  fc.record({ gift: itemArb, minSubtotal: fc.option(fc.record({ USD: fc.integer({ min: 1, max: 900_000 }) }), { nil: null }), triggerProductIds: fc.uniqueArray(productRef, { maxLength: 2 }) })
    .map(({ gift, minSubtotal, triggerProductIds }) => ({ type: "gift" as const, gift, minSubtotal, triggerProductIds: triggerProductIds.filter((id) => id !== gift.productId) })),
);

const kindArb = fc.oneof(
  bundleArb.map((bundle) => ({ kind: "bundle" as const, bundle })),
  fc.record({ rungs: fc.uniqueArray(fc.record({ productId: productRef, variantId: fc.constant(null), gain: fc.constant("") }), { minLength: 2, maxLength: 4, selector: (r) => r.productId }), learned: fc.boolean(), incentive: itemDiscountArb }).map((u) => ({ kind: "upgrade" as const, ...u })),
  fc.record({ rungs: fc.constant([]), learned: fc.constant(true), incentive: itemDiscountArb }).map((u) => ({ kind: "upgrade" as const, ...u })),
  fc.record({ productId: fc.oneof(productRef, fc.constant("")), learned: fc.boolean(), discount: itemDiscountArb }).map(({ productId, learned, discount }) => ({ kind: "funnel" as const, root: { item: { productId, variantId: null, quantity: 1 }, learned: learned || !productId, discount, headline: "h", accept: null, decline: null } })),
);

const offerArb = (i: number) =>
  fc.record({ spec: kindArb, priority: fc.integer({ min: 0, max: 3 }), createdAt: fc.integer({ min: 0, max: 3 }), excludePurchased: fc.boolean() }).map(
    ({ spec, priority, createdAt, excludePurchased }): Offer => ({
      ...spec, id: `o${i}`, createdAt, name: "o", status: "active", priority, schedule: { startsAt: null, endsAt: null },
      content: [{ id: "a", weight: 100, title: "t", body: "" }],
      targeting: { placements: spec.kind === "funnel" ? ["post_purchase"] : ["product", "cart"], products: EMPTY_TARGETS, subtotal: {}, customerTags: { include: [], exclude: [] }, customerType: "any", currencies: [], markets: [], excludePurchased },
    }) as Offer,
  );
const offersArb = fc.integer({ min: 0, max: 12 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => offerArb(i))));

const contextArb = fc.record({
  placement: fc.constantFrom("product" as const, "cart" as const, "post_purchase" as const),
  currency: fc.constantFrom(...CURRENCIES),
  page: productRef,
  lines: fc.uniqueArray(productRef, { maxLength: 4 }),
  purchased: fc.uniqueArray(productRef, { maxLength: 3 }),
  shown: fc.integer({ min: 0, max: 6 }),
});
const pacingArb: fc.Arbitrary<Pacing> = fc.record({ perPage: fc.integer({ min: 0, max: 4 }), perShopperPerDay: fc.integer({ min: 0, max: 6 }), holdoutBasisPoints: fc.constant(0) });

function toContext(c: { placement: SelectionContext["placement"]; currency: string; page: string; lines: string[]; purchased: string[]; shown: number }): SelectionContext {
  return {
    placement: c.placement, now: 0, currency: c.currency, market: null,
    product: c.placement === "product" ? { productId: c.page, variantId: `${c.page}v0` } : null,
    lines: c.lines.map((p) => ({ productId: p, variantId: `${p}v0`, quantity: 1 })), subtotal: 0,
    customer: { id: "c", tags: [], ordersCount: 1, purchasedProductIds: c.purchased }, shopper: { key: "k", offersShownToday: c.shown },
  };
}

/** Learned companions for every product: the others, in an order of their own. */
const learnedOf = (products: CatalogProduct[], salt: number) => new Map(products.map((p, i) => [p.id, products.map((q) => q.id).filter((id) => id !== p.id).sort((a, b) => ((a.charCodeAt(1) * 7 + i + salt) % 5) - ((b.charCodeAt(1) * 7 + i + salt) % 5))]));

/** Every price in a proposal, with the discount the merchant set for it. */
function pricesOf(proposal: Proposal, offer: Offer): [Price, Discount][] {
  switch (proposal.type) {
    case "bundle":
    case "mix_match":
      return offer.kind === "bundle" && "discount" in offer.bundle ? [[proposal.type === "bundle" ? proposal.price : proposal.example, offer.bundle.discount]] : [];
    case "tiers":
      return offer.kind === "bundle" && offer.bundle.type === "quantity_tiers" ? proposal.tiers.map((t, i) => [t.unit, offer.bundle.type === "quantity_tiers" ? offer.bundle.tiers[i]!.discount : { type: "none" }]) : [];
    case "upgrade":
      return offer.kind === "upgrade" ? [[proposal.difference, offer.incentive]] : [];
    case "funnel_step":
      return offer.kind === "funnel" ? [[proposal.price, offer.root.discount]] : [];
    case "gift":
      return []; // free: the discount Function takes it all off
  }
}

function ceiling(regular: number, discount: Discount, currency: string): number {
  if (discount.type === "none") return 0;
  if (discount.type === "percentage") return (regular * discount.basisPoints) / 10_000;
  if (discount.type === "amount") return discount.amounts[currency] ?? 0;
  return Math.max(0, regular - (discount.prices[currency] ?? regular));
}

/** The variants a proposal puts in front of the shopper, and those it adds to the cart. */
function variantsOf(proposal: Proposal): { shown: string[]; added: { productId: string; variantId: string }[] } {
  switch (proposal.type) {
    case "bundle":
      return { shown: proposal.items.map((i) => i.variantId), added: proposal.items.filter((i) => i.role === "add") };
    case "mix_match":
      return { shown: proposal.choices.map((c) => c.variantId), added: proposal.choices };
    case "tiers":
      return { shown: [proposal.variantId], added: [] };
    case "upgrade":
      return { shown: [proposal.to.variantId], added: [proposal.to] };
    case "funnel_step":
    case "gift":
      return { shown: [proposal.item.variantId], added: [proposal.item] };
  }
}

describe("selection invariants (fast-check)", () => {
  it("never a negative price, never more discount than configured, never a sold-out or already-present item, caps respected, one offer per added product", () => {
    fc.assert(
      fc.property(catalogArb, offersArb, contextArb, pacingArb, (products, offers, c, pacing) => {
        const catalog = catalogOf(products, { companions: learnedOf(products, 1), upgrades: learnedOf(products, 3) });
        const context = toContext(c);
        const { offers: selected } = select(compileOffers(offers), catalog, context, pacing);
        expect(selected.length).toBeLessThanOrEqual(Math.max(0, Math.min(pacing.perPage, pacing.perShopperPerDay - c.shown)));
        const inCart = new Set(c.lines);
        const added = new Set<string>();
        for (const s of selected) {
          const offer = offers.find((o) => o.id === s.offerId)!;
          for (const [price, discount] of pricesOf(s.proposal, offer)) {
            expect(price.price).toBeGreaterThanOrEqual(0);
            expect(price.price).toBeLessThanOrEqual(price.regular);
            expect(Number.isInteger(price.price)).toBe(true);
            expect(price.regular - price.price).toBeLessThanOrEqual(ceiling(price.regular, discount, c.currency));
          }
          if (s.proposal.type === "gift" && offer.kind === "bundle" && offer.bundle.type === "gift") {
            // Earned by a trigger product among the page's product or the lines, or else by a threshold in this currency.
            const triggers = c.placement === "product" ? [c.page] : c.lines;
            expect(s.proposal.triggered).toBe(triggers.some((p) => offer.bundle.type === "gift" && offer.bundle.triggerProductIds.includes(p)));
            expect(s.proposal.threshold).toBe(offer.bundle.minSubtotal?.[c.currency] ?? null);
            expect(s.proposal.triggered || s.proposal.threshold !== null).toBe(true);
            expect(triggers).not.toContain(s.proposal.item.productId);
          }
          const { shown, added: adds } = variantsOf(s.proposal);
          for (const variantId of shown) expect(catalog.variant(variantId)?.available).toBe(true);
          for (const item of adds) {
            expect(inCart.has(item.productId) && s.proposal.type !== "upgrade").toBe(false);
            expect(context.lines.some((l) => l.variantId === item.variantId)).toBe(false);
            const ownVariantLadder = s.proposal.type === "upgrade" && s.proposal.from.productId === item.productId;
            if (offer.targeting.excludePurchased && !ownVariantLadder) expect(c.purchased).not.toContain(item.productId);
            expect(added.has(item.productId)).toBe(false);
            added.add(item.productId);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("identical inputs give identical outputs, whatever order the offers come in", () => {
    fc.assert(
      fc.property(catalogArb, offersArb, contextArb, pacingArb, fc.nat(), (products, offers, c, pacing, seed) => {
        const catalog = catalogOf(products, { companions: learnedOf(products, 1), upgrades: learnedOf(products, 3) });
        const shuffled = [...offers].sort((a, b) => ((a.id.charCodeAt(1) * 31 + seed) % 7) - ((b.id.charCodeAt(1) * 31 + seed) % 7));
        const first = select(compileOffers(offers), catalog, toContext(c), pacing);
        expect(select(compileOffers(offers), catalog, toContext(c), pacing)).toEqual(first);
        expect(select(compileOffers(shuffled), catalog, toContext(c), pacing)).toEqual(first);
      }),
      { numRuns: 1000 },
    );
  });
});
