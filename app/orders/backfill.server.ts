// Backfills the shop's order history with one bulk operation: Shopify writes every order
// to a JSONL file that we stream line by line into compact Order/OrderLine rows. The run
// keeps the bulk operation's id, so the job's next attempt after a crash picks it up.
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import prisma, { atomically } from "~/db.server";
import { adminQuery, assertNoUserErrors, type AdminGraphqlClient } from "~/shopify/admin-client.server";
import { BULK_OPERATION_QUERY, BULK_ORDERS_INNER_QUERY, BULK_RUN_QUERY_MUTATION, ORDERS_COUNT_QUERY } from "~/shopify/orders.queries";
import { toMinorUnits } from "~/catalog/money";
import { beginRun, finishRun } from "~/catalog/sync.server";
import { enqueueJob, type ClaimedJob } from "~/jobs/queue.server";
import { shopAdmin } from "~/shopify/shop-admin.server";

const BATCH = 500;
const POLL_MS = 1000;

interface BulkOperation { id: string; status: string; errorCode: string | null; url: string | null }
interface OrderRow { id: string; createdAt: string; cancelledAt: string | null; currencyCode: string; customer: { id: string } | null; totalPriceSet: { shopMoney: { amount: string } } }
interface LineRow { id: string; quantity: number; currentQuantity: number; product: { id: string } | null; variant: { id: string } | null; originalUnitPriceSet: { shopMoney: { amount: string } }; __parentId: string }

async function waitForBulk(admin: AdminGraphqlClient, id: string): Promise<BulkOperation> {
  for (;;) {
    const { bulkOperation } = await adminQuery<{ bulkOperation: BulkOperation | null }>(admin, BULK_OPERATION_QUERY, { id });
    if (!bulkOperation) throw new Error(`Bulk operation ${id} not found`);
    if (bulkOperation.status === "COMPLETED") return bulkOperation;
    if (["FAILED", "CANCELED", "EXPIRED"].includes(bulkOperation.status)) {
      throw new Error(`Bulk operation ${bulkOperation.status.toLowerCase()}${bulkOperation.errorCode ? ` (${bulkOperation.errorCode})` : ""}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function writeBatch(shop: string, orders: { order: OrderRow; lines: LineRow[] }[]): Promise<void> {
  if (!orders.length) return;
  const ids = orders.map((o) => o.order.id);
  await atomically(async (db) => {
    await db.orderLine.deleteMany({ where: { shop, orderId: { in: ids } } });
    await db.order.deleteMany({ where: { shop, id: { in: ids } } });
    await db.order.createMany({
      data: orders.map(({ order }) => ({
        shop, id: order.id, customerId: order.customer?.id ?? null, createdAt: new Date(order.createdAt),
        cancelledAt: order.cancelledAt ? new Date(order.cancelledAt) : null, currency: order.currencyCode,
        totalMinor: toMinorUnits(order.totalPriceSet.shopMoney.amount, order.currencyCode),
      })),
    });
    await db.orderLine.createMany({
      data: orders.flatMap(({ order, lines }) => lines.map((line) => ({
        shop, id: line.id, orderId: order.id, productId: line.product?.id ?? null, variantId: line.variant?.id ?? null,
        quantity: line.quantity, refundedQuantity: line.quantity - line.currentQuantity,
        unitPriceMinor: toMinorUnits(line.originalUnitPriceSet.shopMoney.amount, order.currencyCode),
      }))),
    });
  });
}

async function ingest(shop: string, runId: number, url: string, total: number): Promise<void> {
  await prisma.syncRun.update({ where: { id: runId }, data: { total } });
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`Could not download the bulk result (HTTP ${response.status})`);
  const lines = createInterface({ input: Readable.fromWeb(response.body as import("node:stream/web").ReadableStream), crlfDelay: Infinity });
  let batch: { order: OrderRow; lines: LineRow[] }[] = [];
  let current: { order: OrderRow; lines: LineRow[] } | null = null;
  let done = 0;
  const flush = async () => {
    await writeBatch(shop, batch);
    batch = [];
    await prisma.syncRun.update({ where: { id: runId }, data: { done } });
  };
  for await (const text of lines) {
    if (!text.trim()) continue;
    const row = JSON.parse(text) as OrderRow | LineRow;
    if ("__parentId" in row) {
      // Shopify writes a node's children right after it.
      if (current?.order.id === row.__parentId) current.lines.push(row);
      continue;
    }
    current = { order: row, lines: [] };
    batch.push(current);
    done++;
    if (batch.length >= BATCH) {
      // The last order may still get lines: keep it for the next batch.
      const last = batch.pop()!;
      await flush();
      batch.push(last);
    }
  }
  await flush();
}

/**
 * The bulk operation an earlier attempt of this job started, when it can still deliver: a
 * worker that died while Shopify was exporting picks up the same export.
 */
async function resumableBulk(shop: string, jobId: string, admin: AdminGraphqlClient): Promise<string | null> {
  const earlier = await prisma.syncRun.findFirst({ where: { shop, kind: "orders", jobId, cursor: { not: null } }, orderBy: { id: "desc" } });
  if (!earlier?.cursor) return null;
  const { bulkOperation } = await adminQuery<{ bulkOperation: BulkOperation | null }>(admin, BULK_OPERATION_QUERY, { id: earlier.cursor });
  return bulkOperation && ["CREATED", "RUNNING", "COMPLETED"].includes(bulkOperation.status) ? bulkOperation.id : null;
}

async function startBulk(admin: AdminGraphqlClient): Promise<string> {
  const { bulkOperationRunQuery } = await adminQuery<{ bulkOperationRunQuery: { bulkOperation: { id: string } | null; userErrors: { message: string }[] } }>(
    admin, BULK_RUN_QUERY_MUTATION, { query: BULK_ORDERS_INNER_QUERY },
  );
  assertNoUserErrors(bulkOperationRunQuery, "Starting the order backfill");
  return bulkOperationRunQuery.bulkOperation!.id;
}

/**
 * The `orders.backfill` job: one bulk operation exports every order, streamed into the
 * mirror in batches (each batch replaces its orders' rows, so a batch written twice changes
 * nothing); when the history is complete, a rebuild of the recommendations is enqueued in
 * the same transaction that closes the run.
 */
export async function ordersBackfillJob(job: ClaimedJob): Promise<void> {
  const { shop } = job;
  const admin = await shopAdmin(shop);
  const resumed = await resumableBulk(shop, job.id, admin);
  const run = await beginRun(shop, "orders", job.id);
  try {
    const id = resumed ?? (await startBulk(admin));
    await prisma.syncRun.update({ where: { id: run.id }, data: { cursor: id } });
    const operation = await waitForBulk(admin, id);
    // The file holds orders and their lines; progress is counted in orders.
    const { ordersCount } = await adminQuery<{ ordersCount: { count: number } }>(admin, ORDERS_COUNT_QUERY);
    if (operation.url) await ingest(shop, run.id, operation.url, ordersCount.count);
    await atomically(async (db) => {
      await finishRun(run.id, {}, db);
      await enqueueJob(shop, "recommend.rebuild", {}, {}, db);
    });
  } catch (error) {
    await finishRun(run.id, { error });
    throw error;
  }
}
