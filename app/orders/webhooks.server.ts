// orders/create and orders/updated carry REST JSON; this maps it onto the compact order
// mirror, which enqueues folding the change into the learned model.
import { toMinorUnits } from "~/catalog/money";
import { recordOrder, type OrderRecord } from "./rows.server";

interface RestLineItem { id: number; product_id: number | null; variant_id: number | null; quantity: number; price: string }
interface RestOrder {
  id: number; created_at: string; updated_at?: string; cancelled_at: string | null; currency: string; total_price: string;
  customer: { id: number } | null;
  line_items: RestLineItem[];
  refunds?: { refund_line_items: { line_item_id: number; quantity: number }[] }[];
}

const gid = (type: string, id: number | null) => (id === null ? null : `gid://shopify/${type}/${id}`);

/** Refunded quantity per line, summed over every refund (a line can be refunded in parts). */
function refundedByLine(order: RestOrder): Map<number, number> {
  const refunded = new Map<number, number>();
  for (const refund of order.refunds ?? []) {
    for (const item of refund.refund_line_items) refunded.set(item.line_item_id, (refunded.get(item.line_item_id) ?? 0) + item.quantity);
  }
  return refunded;
}

export function orderFromRest(order: RestOrder): OrderRecord {
  const refunded = refundedByLine(order);
  return {
    id: gid("Order", order.id)!, customerId: gid("Customer", order.customer?.id ?? null), createdAt: new Date(order.created_at),
    cancelledAt: order.cancelled_at ? new Date(order.cancelled_at) : null, updatedAt: order.updated_at ? new Date(order.updated_at) : null, currency: order.currency, totalMinor: toMinorUnits(order.total_price, order.currency),
    lines: order.line_items.map((line) => ({
      id: gid("LineItem", line.id)!, productId: gid("Product", line.product_id), variantId: gid("ProductVariant", line.variant_id),
      quantity: line.quantity, refundedQuantity: Math.min(line.quantity, refunded.get(line.id) ?? 0), unitPriceMinor: toMinorUnits(line.price, order.currency),
    })),
  };
}

/** Both topics carry the whole order as it is now, so each is the same upsert. */
export async function applyOrderWebhook(shop: string, payload: unknown): Promise<void> {
  await recordOrder(shop, orderFromRest(payload as RestOrder));
}
