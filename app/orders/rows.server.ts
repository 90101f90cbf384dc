// The mirrored Order/OrderLine rows as the recommender reads them (app/recommend's
// OrderInput), and the one place a single order's rows are written outside the backfill.
import prisma, { atomically, type Db } from "~/db.server";
import { groupBy } from "~/grouping";
import { enqueueJob } from "~/jobs/queue.server";
import { lockForTransaction } from "~/jobs/locks.server";
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
export async function loadOrderInputs(shop: string, db: Db = prisma): Promise<OrderInput[]> {
  const [orders, lines] = await Promise.all([
    db.order.findMany({ where: { shop }, select: { id: true, customerId: true, createdAt: true, cancelledAt: true }, orderBy: { createdAt: "asc" } }),
    db.orderLine.findMany({ where: { shop }, select: LINE_SELECT }),
  ]);
  const byOrder = groupBy(lines, (line) => line.orderId);
  return orders.map((order) => toInput(order, byOrder.get(order.id) ?? []));
}

/** When the kept version of an order was last changed in Shopify, if known. */
export async function keptVersion(shop: string, id: string, db: Db = prisma): Promise<Date | null> {
  return (await db.order.findUnique({ where: { shop_id: { shop, id } }, select: { updatedAt: true } }))?.updatedAt ?? null;
}

/** One mirrored order, or null when it is not mirrored yet. */
export async function loadOrderInput(shop: string, id: string, db: Db = prisma): Promise<OrderInput | null> {
  const order = await db.order.findUnique({ where: { shop_id: { shop, id } }, select: { id: true, customerId: true, createdAt: true, cancelledAt: true } });
  if (!order) return null;
  return toInput(order, await db.orderLine.findMany({ where: { shop, orderId: id }, select: LINE_SELECT }));
}

export function recordToInput(record: OrderRecord): OrderInput {
  return toInput(record, record.lines.map((line) => ({ ...line, orderId: record.id })));
}

/** Replaces the order's rows with the record. */
async function writeOrderRows(db: Db, shop: string, record: OrderRecord): Promise<void> {
  const order = { customerId: record.customerId, createdAt: record.createdAt, cancelledAt: record.cancelledAt, updatedAt: record.updatedAt, currency: record.currency, totalMinor: record.totalMinor };
  await db.orderLine.deleteMany({ where: { shop, orderId: record.id } });
  await db.order.upsert({ where: { shop_id: { shop, id: record.id } }, create: { shop, id: record.id, ...order }, update: order });
  await db.orderLine.createMany({ data: record.lines.map((line) => ({ shop, orderId: record.id, ...line })) });
}

/**
 * Records an order as it is now (from orders/create or orders/updated) and, in the same
 * transaction, the change for the learned model to fold in (what the order was, what it is)
 * and the job that folds it (app/recommend/learned.server.ts). An older version arriving after
 * a newer one changes nothing. Changes of one order are recorded one after the other (a lock
 * per order, held by the transaction that reads and writes it), so each change starts where the
 * one before ended; different orders, on any number of instances, are recorded side by side.
 */
export async function recordOrder(shop: string, record: OrderRecord): Promise<void> {
  await atomically(async (db) => {
    await lockForTransaction(db, `order:${shop}:${record.id}`);
    const kept = await keptVersion(shop, record.id, db);
    if (kept && record.updatedAt && record.updatedAt < kept) return;
    const before = await loadOrderInput(shop, record.id, db);
    const after = recordToInput(record);
    await writeOrderRows(db, shop, record);
    await db.modelChange.create({ data: { shop, orderId: record.id, before: before ? JSON.stringify(before) : null, after: JSON.stringify(after) } });
    await enqueueJob(shop, "recommend.fold", {}, {}, db);
  });
}
