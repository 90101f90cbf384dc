// Install, uninstall and the mandatory privacy requests, on our own data.
import prisma from "~/db.server";

/** app/uninstalled: the access token is dead; keep data until shop/redact (48 h later). */
export async function markUninstalled(shop: string): Promise<void> {
  await prisma.$transaction([
    prisma.session.deleteMany({ where: { shop } }),
    prisma.shop.updateMany({ where: { domain: shop }, data: { uninstalledAt: new Date() } }),
    prisma.syncRun.updateMany({ where: { shop, status: "running" }, data: { status: "failed", error: "The app was uninstalled.", finishedAt: new Date() } }),
  ]);
}

/** shop/redact: everything we hold for the shop goes. */
export async function forgetShop(shop: string): Promise<void> {
  await prisma.$transaction([
    prisma.orderLine.deleteMany({ where: { shop } }),
    prisma.order.deleteMany({ where: { shop } }),
    prisma.productCollection.deleteMany({ where: { shop } }),
    prisma.variant.deleteMany({ where: { shop } }),
    prisma.product.deleteMany({ where: { shop } }),
    prisma.collection.deleteMany({ where: { shop } }),
    prisma.syncRun.deleteMany({ where: { shop } }),
    prisma.shopSettings.deleteMany({ where: { shop } }),
    prisma.session.deleteMany({ where: { shop } }),
    prisma.shop.deleteMany({ where: { domain: shop } }),
    // Receipts go too, except this delivery's own, which the caller has just written.
    prisma.webhookReceipt.deleteMany({ where: { shop, topic: { not: "shop/redact" } } }),
  ]);
}

const customerGid = (id: number | string) => (String(id).startsWith("gid://") ? String(id) : `gid://shopify/Customer/${id}`);
const orderGid = (id: number | string) => (String(id).startsWith("gid://") ? String(id) : `gid://shopify/Order/${id}`);

/**
 * customers/redact: the customer's link to their orders is removed. The order lines stay,
 * anonymous, because what was bought together (not by whom) is the shop's own data and
 * what recommendations learn from.
 */
export async function redactCustomer(shop: string, customerId: number | string, orderIds: (number | string)[]): Promise<number> {
  const { count } = await prisma.order.updateMany({
    where: { shop, OR: [{ customerId: customerGid(customerId) }, { id: { in: orderIds.map(orderGid) } }] },
    data: { customerId: null },
  });
  return count;
}

/** customers/data_request: what we hold about the customer, for the merchant to send on. */
export async function customerDataReport(shop: string, customerId: number | string) {
  const orders = await prisma.order.findMany({
    where: { shop, customerId: customerGid(customerId) },
    include: { lines: { select: { productId: true, variantId: true, quantity: true, refundedQuantity: true, unitPriceMinor: true } } },
    orderBy: { createdAt: "asc" },
  });
  return {
    customerId: customerGid(customerId),
    orders: orders.map((o) => ({ id: o.id, createdAt: o.createdAt.toISOString(), currency: o.currency, totalMinor: o.totalMinor, lines: o.lines })),
  };
}
