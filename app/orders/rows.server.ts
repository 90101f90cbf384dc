// The mirrored Order/OrderLine rows as the recommender reads them (app/recommend's
// OrderInput), and the one place a single order's rows are written outside the backfill.
import prisma from "~/db.server";
import { groupBy } from "~/grouping";
import { enqueueJob } from "~/jobs/queue.server";
import { withLock } from "~/jobs/locks.server";
import type { OrderInput } from "~/recommend/baskets";

/** One order as the mirror keeps it, from the backfill or a REST webhook. */
export interface OrderRecord {
  id: string;
  customerId: string | null;
  createdAt: Date;
  cancelledAt: Date | null;
  /** Shopify's updated_at, when the source gives it (webhooks do). */
  updatedAt: Date | null;
  currency: string;
  totalMinor: number;
  lines: { id: string; productId: string | null; variantId: string | null; quantity: number; refundedQuantity: number; unitPriceMinor: number }[];
}

interface OrderRow { id: string; customerId: string | null; createdAt: Date; cancelledAt: Date | null }
interface LineRow { orderId: string; productId: string | null; variantId: string | null; quantity: number; refundedQuantity: number }

const LINE_SELECT = { orderId: true, productId: true, variantId: true, quantity: true, refundedQuantity: true } as const;

/** Lines without a product (custom items, tips) cannot be recommended, so they are left out. */
function toInput(order: OrderRow, lines: readonly LineRow[]): OrderInput {
  return {
    id: order.id, customerId: order.customerId, createdAt: order.createdAt.getTime(), cancelled: order.cancelledAt !== null,
    lines: lines.filter((l) => l.productId !== null).map((l) => ({ productId: l.productId!, variantId: l.variantId, quantity: l.quantity, refundedQuantity: l.refundedQuantity })),
  };
}

/** Every mirrored order of the shop, oldest first (two queries, joined in memory). */
export async function loadOrderInputs(shop: string): Promise<OrderInput[]> {
  const [orders, lines] = await Promise.all([
    prisma.order.findMany({ where: { shop }, select: { id: true, customerId: true, createdAt: true, cancelledAt: true }, orderBy: { createdAt: "asc" } }),
    prisma.orderLine.findMany({ where: { shop }, select: LINE_SELECT }),
  ]);
  const byOrder = groupBy(lines, (line) => line.orderId);
  return orders.map((order) => toInput(order, byOrder.get(order.id) ?? []));
}

/** When the kept version of an order was last changed in Shopify, if known. */
export async function keptVersion(shop: string, id: string): Promise<Date | null> {
  return (await prisma.order.findUnique({ where: { shop_id: { shop, id } }, select: { updatedAt: true } }))?.updatedAt ?? null;
}

/** One mirrored order, or null when it is not mirrored yet. */
export async function loadOrderInput(shop: string, id: string): Promise<OrderInput | null> {
  return (await loadOrderInputsById(shop, [id])).get(id) ?? null;
}

/** Mirrored orders by id; ids not mirrored are absent. */
export async function loadOrderInputsById(shop: string, ids: readonly string[]): Promise<Map<string, OrderInput>> {
  const [orders, lines] = await Promise.all([
    prisma.order.findMany({ where: { shop, id: { in: [...ids] } }, select: { id: true, customerId: true, createdAt: true, cancelledAt: true } }),
    prisma.orderLine.findMany({ where: { shop, orderId: { in: [...ids] } }, select: LINE_SELECT }),
  ]);
  const byOrder = groupBy(lines, (line) => line.orderId);
  return new Map(orders.map((order) => [order.id, toInput(order, byOrder.get(order.id) ?? [])]));
}

export function recordToInput(record: OrderRecord): OrderInput {
  return toInput(record, record.lines.map((line) => ({ ...line, orderId: record.id })));
}

/** The lock under which a shop's order rows and its learned model change together. */
export const modelLock = (shop: string) => `model:${shop}`;

/** The writes that replace the order's rows with the record. */
function writeOrderRows(shop: string, record: OrderRecord) {
  const order = { customerId: record.customerId, createdAt: record.createdAt, cancelledAt: record.cancelledAt, updatedAt: record.updatedAt, currency: record.currency, totalMinor: record.totalMinor };
  return [
    prisma.orderLine.deleteMany({ where: { shop, orderId: record.id } }),
    prisma.order.upsert({ where: { shop_id: { shop, id: record.id } }, create: { shop, id: record.id, ...order }, update: order }),
    prisma.orderLine.createMany({ data: record.lines.map((line) => ({ shop, orderId: record.id, ...line })) }),
  ];
}

/**
 * Records an order as it is now (from orders/create or orders/updated) and, in the same
 * transaction, what the learned model counted for it until now and a job to fold the change
 * in (app/recommend/learned.server.ts). An older version arriving after a newer one changes
 * nothing; the same version twice changes nothing either. Runs under the shop's model lock,
 * so a fold never sees rows and pending changes that disagree.
 */
export async function recordOrder(shop: string, record: OrderRecord): Promise<void> {
  await withLock(modelLock(shop), async () => {
    const kept = await keptVersion(shop, record.id);
    if (kept && record.updatedAt && record.updatedAt < kept) return;
    // The model still counts the order as it was when its first pending change was recorded.
    const pending = await prisma.modelChange.findUnique({ where: { shop_orderId: { shop, orderId: record.id } }, select: { id: true } });
    const before = pending ? null : await loadOrderInput(shop, record.id);
    await prisma.$transaction([
      ...writeOrderRows(shop, record),
      ...(pending ? [] : [prisma.modelChange.create({ data: { shop, orderId: record.id, before: before ? JSON.stringify(before) : null } })]),
      enqueueJob(shop, "recommend.fold", {}),
    ]);
  });
}
