// A large shop's order history, generated deterministically and kept compact (typed
// arrays, not order objects) so generating it does not weigh on the memory we measure.
// Popularity is Zipf-skewed like real catalogues; every product has a few companions
// (its case, its refill) bought with it half of the time, so there is structure to learn.
import type { OrderInput } from "../../app/recommend/baskets.ts";
import { mulberry32 } from "../devshop/random.ts";

export interface GeneratedShop {
  products: number;
  orders: number;
  /** Order i holds items[offsets[i]] .. items[offsets[i + 1] - 1], distinct product ids. */
  offsets: Uint32Array;
  items: Uint32Array;
  createdAt: Float64Array;
  customer: Uint32Array;
}

const COMPANIONS = 3;
const START = Date.UTC(2024, 10, 1);
const SPAN = 730 * 86_400_000;

function zipfSampler(n: number, exponent: number, rand: () => number): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let r = 0; r < n; r++) cdf[r] = sum += 1 / (r + 1) ** exponent;
  return () => {
    const u = rand() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** A product's companions: fixed, spread over the catalogue, never itself. */
function companion(product: number, k: number, products: number): number {
  return (product + 1 + ((Math.imul(product + 1, 2654435761) >>> 0) % 997) * (k + 1)) % products;
}

export function generateShop(orders: number, products: number, seed = 20261123): GeneratedShop {
  const rand = mulberry32(seed);
  const zipf = zipfSampler(products, 1.05, rand);
  const offsets = new Uint32Array(orders + 1);
  let items = new Uint32Array(orders * 3);
  let used = 0;
  const basket = new Set<number>();
  for (let i = 0; i < orders; i++) {
    basket.clear();
    const anchor = zipf();
    basket.add(anchor);
    for (let k = 0; k < COMPANIONS; k++) if (rand() < 0.5 / (k + 1)) basket.add(companion(anchor, k, products));
    while (rand() < 0.35) basket.add(zipf());
    if (used + basket.size > items.length) items = Uint32Array.from({ length: items.length * 2 }, (_, j) => items[j] ?? 0);
    for (const item of basket) items[used++] = item;
    offsets[i + 1] = used;
  }
  const createdAt = Float64Array.from({ length: orders }, (_, i) => START + Math.floor((i / orders) * SPAN));
  const customer = Uint32Array.from({ length: orders }, () => Math.floor(rand() * orders * 0.4));
  return { products, orders, offsets, items: items.slice(0, used), createdAt, customer };
}

export function basketAt(shop: GeneratedShop, i: number): number[] {
  return Array.from(shop.items.subarray(shop.offsets[i]!, shop.offsets[i + 1]!));
}

/** Order i as the app would receive it (one line per product, nothing refunded). */
export function orderAt(shop: GeneratedShop, i: number): OrderInput {
  return {
    id: i + 1, customerId: shop.customer[i]!, createdAt: shop.createdAt[i]!,
    lines: basketAt(shop, i).map((productId) => ({ productId, quantity: 1, refundedQuantity: 0 })),
  };
}
