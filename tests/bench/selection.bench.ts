// select() on a big shop: 10,000 live offers of every kind, 5,000 products in 50
// collections, and 50-line carts. Budget: p99 under 1 ms per call.
import { catalogOf, type CatalogProduct } from "../../app/offers/catalog.ts";
import { EMPTY_TARGETS, type Offer } from "../../app/offers/model.ts";
import { compileOffers, select } from "../../app/offers/select.ts";
import type { SelectionContext } from "../../app/offers/targeting.ts";
import { mulberry32 } from "../devshop/random.ts";

const PRODUCTS = 5_000;
const OFFERS = 10_000;
const CART_LINES = 50;
const CALLS = 5_000;

export async function run() {
  const rand = mulberry32(42); // the same shop on every run
  const pick = (n: number) => Math.floor(rand() * n);
  const pid = (n: number) => `gid://shopify/Product/${n}`;
  const products: CatalogProduct[] = Array.from({ length: PRODUCTS }, (_, n) => ({
    id: pid(n), title: `Product ${n}`, handle: `product-${n}`, collectionIds: [`c${n % 50}`], tags: [`t${n % 200}`], vendor: `v${n % 20}`, productType: `type${n % 30}`,
    variants: Array.from({ length: 1 + (n % 3) }, (_, i) => ({ id: `${pid(n)}/v${i}`, productId: pid(n), title: `v${i}`, prices: { USD: 1000 + 500 * i + (n % 97) * 100, EUR: 900 + 450 * i + (n % 97) * 90 }, available: rand() > 0.05 })),
  }));
  const catalog = catalogOf(products);
  const base = { name: "o", status: "active" as const, schedule: { startsAt: null, endsAt: null }, content: [{ id: "a", weight: 100, title: "t", body: "" }] };
  const targeting = (placements: Offer["targeting"]["placements"], products = EMPTY_TARGETS) => ({ placements, products, subtotal: {}, customerTags: { include: [], exclude: [] }, customerType: "any" as const, currencies: [], markets: [], excludePurchased: false });
  const item = () => ({ productId: pid(pick(PRODUCTS)), variantId: null, quantity: 1 });
  const offers: Offer[] = Array.from({ length: OFFERS }, (_, i): Offer => {
    const common = { ...base, id: `offer-${i}`, createdAt: i, priority: pick(5) * 10 };
    const kind = i % 10;
    if (kind < 4) return { ...common, kind: "bundle", targeting: targeting(["product", "cart"]), bundle: { type: "fbt", anchorProductId: pid(pick(PRODUCTS)), companions: [item(), item()], learned: 0, discount: { type: "percentage", basisPoints: 1000 } } };
    if (kind < 6) return { ...common, kind: "upgrade", targeting: targeting(["product", "cart"]), rungs: [0, 1, 2].map((v) => ({ productId: pid(i % PRODUCTS), variantId: `${pid(i % PRODUCTS)}/v${v}`, gain: "" })), learned: false, incentive: { type: "none" } };
    if (kind < 8) return { ...common, kind: "bundle", targeting: targeting(["cart"], { ...EMPTY_TARGETS, collectionIds: [`c${pick(50)}`] }), bundle: { type: "fixed", items: [item(), item()], discount: { type: "amount", amounts: { USD: 500 } } } };
    if (kind < 9) return { ...common, kind: "bundle", targeting: targeting(["cart"], { ...EMPTY_TARGETS, tags: [`t${pick(200)}`] }), bundle: { type: "quantity_tiers", tiers: [{ minQuantity: 2, discount: { type: "percentage", basisPoints: 500 } }] } };
    return { ...common, kind: "funnel", targeting: targeting(["post_purchase"]), root: { item: item(), learned: false, discount: { type: "percentage", basisPoints: 1500 }, headline: "h", accept: null, decline: null } };
  });

  const compileStarted = performance.now();
  const compiled = compileOffers(offers);
  const compileMs = performance.now() - compileStarted;
  const contexts: SelectionContext[] = Array.from({ length: 200 }, (_, c) => ({
    placement: "cart", now: Date.UTC(2026, 10, 23), currency: c % 4 ? "USD" : "EUR", market: null, product: null,
    lines: Array.from({ length: CART_LINES }, () => { const n = pick(PRODUCTS); return { productId: pid(n), variantId: `${pid(n)}/v0`, quantity: 1 }; }),
    subtotal: 100_000, customer: null, shopper: { key: `shopper-${c}`, offersShownToday: 0 },
  }));
  const pacing = { perPage: 3, perShopperPerDay: 10, holdoutBasisPoints: 0 };
  for (let i = 0; i < 500; i++) select(compiled, catalog, contexts[i % contexts.length]!, pacing); // warm-up
  const times: number[] = [];
  let proposed = 0;
  for (let i = 0; i < CALLS; i++) {
    const started = performance.now();
    proposed += select(compiled, catalog, contexts[i % contexts.length]!, pacing).offers.length;
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => Number(times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(4));
  return { offers: OFFERS, cart_lines: CART_LINES, products: PRODUCTS, calls: CALLS, p50_ms: at(0.5), p99_ms: at(0.99), max_ms: at(1), mean_offers_shown: Number((proposed / CALLS).toFixed(2)), compile_ms: Math.round(compileMs) };
}
