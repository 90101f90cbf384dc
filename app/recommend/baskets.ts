// What the recommender learns from: orders reduced to baskets of distinct items. Cancelled
// orders and fully refunded lines did not really sell together, so they never count.

/** A product or variant id as the shop knows it (a number, or a GID string). */
export type ItemKey = string | number;

export interface OrderLineInput {
  productId: ItemKey;
  variantId?: ItemKey | null;
  quantity: number;
  refundedQuantity: number;
}

export interface OrderInput {
  id: ItemKey;
  customerId?: ItemKey | null;
  /** Milliseconds since the epoch. */
  createdAt: number;
  cancelled?: boolean;
  lines: OrderLineInput[];
}

/**
 * "product" merges the variants of one product (a black and a white case are the same
 * complement); "variant" keeps them apart (what a storage ladder needs).
 */
export type Keying = "product" | "variant";

export function lineKept(line: OrderLineInput): boolean {
  return line.quantity - line.refundedQuantity > 0;
}

export function itemOf(line: OrderLineInput, keying: Keying): ItemKey {
  return keying === "variant" && line.variantId != null ? line.variantId : line.productId;
}

/** The distinct items an order really sold, in first-seen order; empty when cancelled. */
export function basketOf(order: OrderInput, keying: Keying = "product"): ItemKey[] {
  if (order.cancelled) return [];
  const items = new Set<ItemKey>();
  for (const line of order.lines) if (lineKept(line)) items.add(itemOf(line, keying));
  return [...items];
}

/**
 * One basket per line, items separated by commas, or by whitespace in a file without any
 * comma (decided per file: "whole milk" alone on a line is one item of a comma file).
 * Items are trimmed and deduplicated; blank lines are skipped.
 */
export function parseBaskets(text: string): string[][] {
  const separator = text.includes(",") ? "," : /\s+/;
  const baskets: string[][] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const parts = line.split(separator);
    const items = [...new Set(parts.map((part) => part.trim()).filter(Boolean))];
    if (items.length) baskets.push(items);
  }
  return baskets;
}
