// When a product is due again: for consumables the same customer re-buys, the typical days
// between purchases (the brush heads every three months), for deferred follow-up offers.
// Reported only on enough evidence, with the spread, so an offer is not timed by anecdote.
import { basketOf, type ItemKey, type Keying, type OrderInput } from "./baskets.ts";
import { DAY_MS } from "./copurchase.ts";
import { median } from "./upgrades.ts";

export interface RepeatTiming {
  item: ItemKey;
  medianDays: number;
  /** The middle half of the gaps lies between these. */
  p25Days: number;
  p75Days: number;
  /** Gaps observed (a customer buying 4 times gives 3). */
  repeats: number;
  customers: number;
}

export interface TimingOptions {
  keying?: Keying;
  minRepeats?: number;
  minCustomers?: number;
  /** Purchases closer than this are one shopping trip, not a repeat. */
  minGapDays?: number;
}

function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low]! + (sorted[Math.min(low + 1, sorted.length - 1)]! - sorted[low]!) * (at - low);
}

/** Each customer's purchase times of each item. */
function purchaseTimes(orders: Iterable<OrderInput>, keying: Keying): Map<ItemKey, Map<ItemKey, number[]>> {
  const byItem = new Map<ItemKey, Map<ItemKey, number[]>>();
  for (const order of orders) {
    if (order.customerId == null) continue;
    for (const item of basketOf(order, keying)) {
      const customers = byItem.get(item) ?? new Map<ItemKey, number[]>();
      byItem.set(item, customers);
      const times = customers.get(order.customerId);
      if (times) times.push(order.createdAt);
      else customers.set(order.customerId, [order.createdAt]);
    }
  }
  return byItem;
}

function timingOf(item: ItemKey, customers: Map<ItemKey, number[]>, options: TimingOptions): RepeatTiming | null {
  const minGap = (options.minGapDays ?? 1) * DAY_MS;
  const gaps: number[] = [];
  let repeaters = 0;
  for (const times of customers.values()) {
    times.sort((a, b) => a - b);
    const before = gaps.length;
    for (let i = 1; i < times.length; i++) if (times[i]! - times[i - 1]! >= minGap) gaps.push((times[i]! - times[i - 1]!) / DAY_MS);
    if (gaps.length > before) repeaters++;
  }
  if (gaps.length < (options.minRepeats ?? 10) || repeaters < (options.minCustomers ?? 5)) return null;
  gaps.sort((a, b) => a - b);
  return { item, medianDays: median(gaps), p25Days: quantile(gaps, 0.25), p75Days: quantile(gaps, 0.75), repeats: gaps.length, customers: repeaters };
}

/** Items re-bought often enough to time, most repeats first. */
export function repeatTimings(orders: Iterable<OrderInput>, options: TimingOptions = {}): RepeatTiming[] {
  const timings: RepeatTiming[] = [];
  for (const [item, customers] of purchaseTimes(orders, options.keying ?? "product")) {
    const timing = timingOf(item, customers, options);
    if (timing) timings.push(timing);
  }
  return timings.sort((a, b) => b.repeats - a.repeats);
}
