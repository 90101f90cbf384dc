// Small hand-made catalog and offer builders for the offer engine's tests.
import { catalogOf, type CatalogProduct } from "~/offers/catalog";
import { EMPTY_TARGETS, type BundleSpec, type Offer, type OfferDefinition, type Targeting } from "~/offers/model";
import type { SelectionContext } from "~/offers/targeting";

const P = (n: number) => `gid://shopify/Product/${n}`;
const V = (n: number) => `gid://shopify/ProductVariant/${n}`;
export { P, V };

function product(n: number, title: string, variants: [number, number, boolean?][], extra: Partial<CatalogProduct> = {}): CatalogProduct {
  return {
    id: P(n), title, handle: title.toLowerCase().replace(/[^a-z0-9]+/g, "-"), collectionIds: [], tags: [], vendor: "Acme", productType: "",
    variants: variants.map(([v, usd, available = true]) => ({ id: V(v), productId: P(n), title: `Variant ${v}`, prices: { USD: usd, EUR: Math.round(usd * 0.9) }, available })),
    ...extra,
  };
}

/** Phone with a 64/128/256 GB ladder (256 sold out), its case and charger, a cable, a mattress. */
export const products: CatalogProduct[] = [
  product(1, "Phone", [[11, 69900], [12, 79900], [13, 89900, false]], { collectionIds: ["phones"], productType: "Phone", tags: ["device"] }),
  product(2, "Phone case", [[21, 2900]], { collectionIds: ["accessories"], productType: "Case" }),
  product(3, "Charger", [[31, 3900]], { collectionIds: ["accessories"], productType: "Charger" }),
  product(4, "Cable", [[41, 1900]], { collectionIds: ["accessories"], productType: "Cable" }),
  product(5, "Sold-out stand", [[51, 4900, false]], { collectionIds: ["accessories"] }),
  product(6, "Mattress", [[61, 49900], [62, 89900]], { collectionIds: ["home"], productType: "Mattress" }),
];
export const catalog = catalogOf(products);

export function targeting(overrides: Partial<Targeting> = {}): Targeting {
  return {
    placements: ["product", "cart"], products: EMPTY_TARGETS, subtotal: {}, customerTags: { include: [], exclude: [] },
    customerType: "any", currencies: [], markets: [], excludePurchased: false, ...overrides,
  };
}

type Common = Omit<OfferDefinition, "kind" | "bundle" | "rungs" | "incentive" | "root">;
const common = (overrides: Partial<Common> = {}): Common => ({
  name: "Offer", status: "active", priority: 50, schedule: { startsAt: null, endsAt: null }, targeting: targeting(),
  content: [{ id: "a", weight: 100, title: "Complete the set", body: "" }], ...overrides,
});

let next = 0;
export function offer(definition: Partial<Common> & Pick<Offer, "kind"> & Record<string, unknown>, id = `offer-${++next}`, createdAt = next): Offer {
  return { ...common(definition), ...definition, id, createdAt } as Offer;
}

export const phoneFbt = (overrides: Partial<Common> = {}, id?: string) =>
  offer({ kind: "bundle", bundle: { type: "fbt", anchorProductId: P(1), companions: [{ productId: P(2), variantId: null, quantity: 1 }, { productId: P(3), variantId: null, quantity: 1 }], learned: 0, discount: { type: "percentage", basisPoints: 1000 } }, ...overrides }, id);

export const phoneLadder = (overrides: Partial<Common> = {}, id?: string) =>
  offer({ kind: "upgrade", rungs: [{ productId: P(1), variantId: V(11), gain: "" }, { productId: P(1), variantId: V(12), gain: "Twice the storage" }, { productId: P(1), variantId: V(13), gain: "Room for everything" }], learned: false, incentive: { type: "amount", amounts: { USD: 2000 } }, ...overrides }, id);

export function context(overrides: Partial<SelectionContext> = {}): SelectionContext {
  return {
    placement: "product", now: Date.UTC(2026, 10, 23), currency: "USD", market: null,
    product: { productId: P(1), variantId: V(11) }, lines: [], subtotal: 0, customer: null,
    shopper: { key: "shopper-1", offersShownToday: 0 }, ...overrides,
  };
}

export const PACING = { perPage: 3, perShopperPerDay: 10, holdoutBasisPoints: 0 };

/** A charger free from $100 (€90) in the cart, or with the phone. */
export const phoneGift = (bundle: Partial<Extract<BundleSpec, { type: "gift" }>> = {}, overrides: Partial<Common> = {}, id?: string) =>
  offer({ kind: "bundle", bundle: { type: "gift", gift: { productId: P(3), variantId: null, quantity: 1 }, minSubtotal: { USD: 10000, EUR: 9000 }, triggerProductIds: [P(1)], ...bundle }, ...overrides }, id);
