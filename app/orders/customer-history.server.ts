// What one customer bought before, from the order mirror: the products (so offers can leave
// them out) and how many orders (first-time or returning). Read-only; app/orders stays the
// one writer of these rows. Refunded-in-full lines and cancelled orders count as not bought.
import prisma from "~/db.server";

export interface CustomerHistory {
  ordersCount: number;
  purchasedProductIds: string[];
}

export async function customerHistory(shop: string, customerId: string): Promise<CustomerHistory> {
  const orders = await prisma.order.findMany({
    where: { shop, customerId, cancelledAt: null },
    select: { lines: { select: { productId: true, quantity: true, refundedQuantity: true } } },
  });
  const products = new Set(orders.flatMap((o) => o.lines.filter((l) => l.productId && l.quantity > l.refundedQuantity).map((l) => l.productId!)));
  return { ordersCount: orders.length, purchasedProductIds: [...products] };
}
