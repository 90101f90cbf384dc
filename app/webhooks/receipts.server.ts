// A verified delivery's receipt and its job, written in one transaction: a receipt without its
// work cannot exist, and a repeated delivery (same webhook id) writes neither.
//
// Deliveries are written in groups (group commit): while one group's transaction is being
// written, the deliveries that arrive meanwhile wait and go together into the next. A quiet
// shop's delivery is written at once, alone; a burst's deliveries share a few statements per
// group instead of costing a transaction each. Each answer waits for its own group's commit,
// so a 200 still means "recorded". What waits here is only what has not been answered yet: if
// the process dies, Shopify gets no 200 for it and delivers it again.
import { Prisma } from "@prisma/client";
import { atomically, type Db } from "~/db.server";
import { enqueueJobs } from "~/jobs/queue.server";

export interface Delivery {
  webhookId: string;
  shop: string;
  topic: string;
  payload: unknown;
  /**
   * Catalog and order news for a shop the app is not installed on (or whose data is erased)
   * would bring back data that must be gone: it is recorded only for an installed shop. The
   * privacy requests are always carried out.
   */
  onlyIfInstalled: boolean;
}

/** At most this many deliveries share a transaction (well within both databases' bind limits). */
const MAX_GROUP = 100;

interface Waiting {
  delivery: Delivery;
  done: (error?: unknown) => void;
}

const waiting: Waiting[] = [];
let writing = false;

/** Records the delivery with its job (or nothing, for a repeat); resolves once committed. */
export function recordDelivery(delivery: Delivery): Promise<void> {
  return new Promise((resolve, reject) => {
    waiting.push({ delivery, done: (error) => (error === undefined ? resolve() : reject(error)) });
    // Written after this turn of the event loop, so the deliveries that arrived in it go
    // together (SQLite's driver is synchronous: a write never yields to incoming requests).
    if (!writing) {
      writing = true;
      setImmediate(() => void writeWaiting());
    }
  });
}

async function writeWaiting(): Promise<void> {
  try {
    while (waiting.length) {
      const group = waiting.splice(0, MAX_GROUP);
      try {
        await writeGroup(group.map((w) => w.delivery));
        group.forEach((w) => w.done());
      } catch (error) {
        // Every answer of the group is an error: Shopify delivers each again.
        group.forEach((w) => w.done(error ?? new Error("The receipts could not be written.")));
      }
    }
  } finally {
    writing = false;
  }
}

/** Shops of `shops` the app is installed on now. */
async function installedShops(db: Db, shops: string[]): Promise<Set<string>> {
  if (!shops.length) return new Set();
  const rows = await db.$queryRaw<{ domain: string }[]>`SELECT domain FROM "Shop" WHERE domain IN (${Prisma.join(shops)}) AND "uninstalledAt" IS NULL`;
  return new Set(rows.map((row) => row.domain));
}

async function writeGroup(deliveries: Delivery[]): Promise<void> {
  await atomically(async (db) => {
    const installed = await installedShops(db, [...new Set(deliveries.filter((d) => d.onlyIfInstalled).map((d) => d.shop))]);
    const wanted = deliveries.filter((d) => !d.onlyIfInstalled || installed.has(d.shop));
    if (!wanted.length) return;
    const now = new Date();
    const rows = wanted.map((d) => Prisma.sql`(${d.webhookId}, ${d.shop}, ${d.topic}, ${now})`);
    // Receipts already there (a repeat, in an earlier group or twice in this one) are skipped
    // and not returned, so their work is not queued again.
    const written = await db.$queryRaw<{ webhookId: string }[]>`INSERT INTO "WebhookReceipt" ("webhookId", shop, topic, "receivedAt")
      VALUES ${Prisma.join(rows)} ON CONFLICT DO NOTHING RETURNING "webhookId"`;
    const byId = new Map(wanted.map((d) => [d.webhookId, d]));
    await enqueueJobs("webhook", written.map(({ webhookId }) => {
      const d = byId.get(webhookId)!;
      return { shop: d.shop, payload: { topic: d.topic, webhookId, payload: d.payload } };
    }), db);
  });
}
