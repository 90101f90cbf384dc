// Install, uninstall and the mandatory privacy requests, on our own data.
import { Prisma } from "@prisma/client";
import prisma, { atomically, type Db } from "~/db.server";
import { enqueueJob, forgetShopJobs } from "~/jobs/queue.server";

/** Whether the app is installed on the shop now (known, and not uninstalled since). */
export async function isInstalled(shop: string): Promise<boolean> {
  const row = await prisma.shop.findUnique({ where: { domain: shop }, select: { uninstalledAt: true } });
  return row !== null && row.uninstalledAt === null;
}

/**
 * A new token for the shop: on a first install or a reinstall, the shop is recorded and its
 * catalog sync, order backfill, web pixel connection and offer sync (which sets up the checkout's
 * Functions) enqueued with it; a token for an installed shop (a new session, a refresh) changes nothing.
 * An uninstall took the app's metafields, cart transform and discounts with it, so what we
 * recorded as written is forgotten: the first sync writes everything again.
 */
export async function recordInstall(shop: string): Promise<boolean> {
  if (await isInstalled(shop)) return false;
  const data = { installedAt: new Date(), uninstalledAt: null };
  await atomically(async (db) => {
    await db.shop.upsert({ where: { domain: shop }, create: { domain: shop, ...data }, update: data });
    await db.offerMetafield.deleteMany({ where: { shop } });
    await db.storefrontMetafield.deleteMany({ where: { shop } });
    await db.shopFunctions.deleteMany({ where: { shop } });
    // Parent products outlive an uninstall: kept, and given their components again.
    await db.bundleParent.updateMany({ where: { shop }, data: { digest: "" } });
    await enqueueJob(shop, "catalog.sync", {}, {}, db);
    await enqueueJob(shop, "orders.backfill", {}, {}, db);
    await enqueueJob(shop, "pixel.connect", {}, {}, db);
    await enqueueJob(shop, "offers.sync", {}, {}, db);
  });
  return true;
}

/** app/uninstalled: the access token is dead; keep data until shop/redact (48 h later). */
export async function markUninstalled(shop: string): Promise<void> {
  await atomically(async (db) => {
    await db.session.deleteMany({ where: { shop } });
    await db.shop.updateMany({ where: { domain: shop }, data: { uninstalledAt: new Date() } });
    await db.syncRun.updateMany({ where: { shop, status: "running" }, data: { status: "failed", error: "The app was uninstalled.", finishedAt: new Date() } });
  });
}

/** The client's delegate for a model ("SyncRun" -> db.syncRun). */
function delegate(db: Db, model: Prisma.ModelName) {
  const key = model.charAt(0).toLowerCase() + model.slice(1);
  return (db as unknown as Record<string, { deleteMany(args: { where: Record<string, string> }): Promise<Prisma.BatchPayload> }>)[key]!;
}

/** The column naming the shop a model's rows belong to; every model has one. */
export function shopColumn(model: Prisma.ModelName): "shop" | "domain" {
  const fields = (Prisma as unknown as Record<string, Record<string, string>>)[`${model}ScalarFieldEnum`] ?? {};
  if ("shop" in fields) return "shop";
  if (model === "Shop") return "domain";
  throw new Error(`The model ${model} has no shop column: every row must belong to one shop.`);
}

/**
 * shop/redact: every row of the shop in every table goes, in one transaction. The tables are
 * walked from the schema, so a new one cannot be forgotten (and one without a shop column
 * fails loudly, here and in the test).
 */
export async function forgetShop(shop: string): Promise<void> {
  await atomically(async (db) => {
    for (const model of Object.values(Prisma.ModelName)) await delegate(db, model).deleteMany({ where: { [shopColumn(model)]: shop } });
    await forgetShopJobs(shop, db);
  });
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

/**
 * customers/data_request: what Uplift holds about the customer is kept as a report the
 * merchant sees and downloads in the admin, once per request however often it is delivered.
 */
export async function customerDataRequest(shop: string, customerId: number | string, requestId: number | string): Promise<void> {
  const id = `${shop}:${requestId}`;
  if (await prisma.dataRequest.findUnique({ where: { id }, select: { id: true } })) return;
  const report = await customerDataReport(shop, customerId);
  await prisma.dataRequest.create({ data: { id, shop, customerId: report.customerId, requestId: String(requestId), report: JSON.stringify(report) } });
}

/** What we hold about the customer, for the merchant to send on. */
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

/** The shop's data requests, newest first, for the admin. */
export async function listDataRequests(shop: string) {
  const rows = await prisma.dataRequest.findMany({ where: { shop }, orderBy: { createdAt: "desc" }, take: 200 });
  return rows.map((r) => ({
    id: r.id, customerId: r.customerId, requestId: r.requestId, createdAt: r.createdAt.toISOString(),
    orders: (JSON.parse(r.report) as { orders: unknown[] }).orders.length,
  }));
}

/** One of the shop's data requests, as the file the merchant downloads; null for another shop's. */
export async function dataRequestReport(shop: string, id: string): Promise<{ requestId: string; json: string } | null> {
  const row = await prisma.dataRequest.findFirst({ where: { shop, id } });
  return row && { requestId: row.requestId, json: JSON.stringify(JSON.parse(row.report), null, 2) };
}
