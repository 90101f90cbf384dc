// Orders as Shopify's checkout makes them: one writer for the control endpoint
// (POST /devshop/orders) and the storefront's checkout (storefront/checkout.ts), so an order
// from either has the same shape and numbering, and sends the same orders/create.
import type { Order, Store } from "./store.ts";

/** A key-value pair as Shopify's REST orders carry them (`note_attributes`, a line's `properties`). */
export interface NameValue { name: string; value: string }

export interface NewOrder {
  lines: { variantId: number; quantity?: number; properties?: NameValue[] }[];
  customerId?: number | null;
  note?: string | null;
  /** The cart's attributes, which Shopify copies to the order's `note_attributes`. */
  noteAttributes?: NameValue[];
}

/** The order, stored in the shop's store; null when a line names no variant of the shop. */
export function placeOrder(store: Store, input: NewOrder): Order | null {
  const variants = new Map([...store.products.values()].flatMap((p) => p.variants.map((v) => [v.id, { p, v }] as const)));
  const lines = input.lines.map((wanted) => ({ wanted, found: variants.get(Number(wanted.variantId)) }));
  if (!lines.length || lines.some((l) => !l.found)) return null;
  const orders = [...store.orders.values()];
  // Reduced, not spread: tens of thousands of arguments would overflow the stack.
  let lineId = orders.reduce((max, o) => o.lines.reduce((m, l) => Math.max(m, l.id), max), 0);
  const id = orders.reduce((max, o) => Math.max(max, o.id), 5_000_000_000) + 1;
  const order: Order = {
    id, name: `#${1001 + orders.length}`, createdAt: new Date().toISOString(), cancelledAt: null, currency: store.shop!.currency, customerId: input.customerId ?? null,
    note: input.note ?? null, noteAttributes: input.noteAttributes ?? [],
    lines: lines.map(({ wanted, found }) => {
      const quantity = wanted.quantity ?? 1;
      const title = `${found!.p.title}${found!.v.title === "Default Title" ? "" : ` - ${found!.v.title}`}`;
      return { id: ++lineId, productId: found!.p.id, variantId: found!.v.id, title, quantity, currentQuantity: quantity, price: found!.v.price, properties: wanted.properties ?? [] };
    }),
  };
  store.put("order", order);
  return order;
}
