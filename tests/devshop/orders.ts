// Orders as Shopify's checkout makes them: one writer for the control endpoint
// (POST /devshop/orders) and the storefront's checkout (storefront/checkout.ts), so an order
// from either has the same shape and numbering, and sends the same orders/create.
import type { Order, OrderDiscountApplication, OrderLine, OrderLineGroup, Store } from "./store.ts";

/** A key-value pair as Shopify's REST orders carry them (`note_attributes`, a line's `properties`). */
export interface NameValue { name: string; value: string }

/** What a checkout charged for a line: set by the checkout, left out by the control endpoint. */
export interface ChargedLine {
  /** Unit price in the shop's currency, before discounts (the variant's price when left out). */
  price?: number;
  /** Unit price in the presentment currency, before discounts. */
  presentmentPrice: number;
  discountAllocations: OrderLine["discountAllocations"];
  /** Index into NewOrder.groups: the bundle this line is a component of. */
  group?: number;
}

export interface NewOrder {
  lines: ({ variantId: number; quantity?: number; properties?: NameValue[] } & { charged?: ChargedLine })[];
  /** The currency the shopper paid in (a checkout's); the shop's when left out. */
  presentmentCurrency?: string;
  discountApplications?: OrderDiscountApplication[];
  /** Bundles bought as one line (their ids are given here). */
  groups?: Omit<OrderLineGroup, "id">[];
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
  // Group ids are numbered like line ids: unique within the shop's orders.
  let groupId = orders.reduce((max, o) => (o.lineItemGroups ?? []).reduce((m, g) => Math.max(m, g.id), max), 0);
  const groups = (input.groups ?? []).map((g) => ({ ...g, id: ++groupId }));
  const order: Order = {
    id, name: `#${1001 + orders.length}`, createdAt: new Date().toISOString(), cancelledAt: null, currency: store.shop!.currency, customerId: input.customerId ?? null,
    note: input.note ?? null, noteAttributes: input.noteAttributes ?? [],
    lines: lines.map(({ wanted, found }) => {
      const quantity = wanted.quantity ?? 1;
      const title = `${found!.p.title}${found!.v.title === "Default Title" ? "" : ` - ${found!.v.title}`}`;
      const line: OrderLine = { id: ++lineId, productId: found!.p.id, variantId: found!.v.id, title, quantity, currentQuantity: quantity, price: wanted.charged?.price ?? found!.v.price, properties: wanted.properties ?? [] };
      if (wanted.charged) {
        line.presentmentPrice = wanted.charged.presentmentPrice;
        line.discountAllocations = wanted.charged.discountAllocations ?? [];
        if (wanted.charged.group !== undefined) line.groupId = groups[wanted.charged.group]!.id;
      }
      return line;
    }),
  };
  if (input.presentmentCurrency) order.presentmentCurrency = input.presentmentCurrency;
  if (input.discountApplications) order.discountApplications = input.discountApplications;
  if (groups.length) order.lineItemGroups = groups;
  store.put("order", order);
  return order;
}
