// The shop's learned model, kept in one row: rebuilt from the mirrored orders (after the
// order backfill, or when the merchant asks), and folded forward by orders/* webhooks (the
// orders they change, recorded by app/orders), so a new order is counted without rereading
// the history.
import prisma, { atomically, type Db } from "~/db.server";
import { groupBy } from "~/grouping";
import { beginRun, finishRun, latestSyncRun } from "~/catalog/sync.server";
import { enqueue, enqueueJob, hasPendingJob, type ClaimedJob } from "~/jobs/queue.server";
import { withLock } from "~/jobs/locks.server";
import type { OrderInput } from "~/recommend/baskets";
import { addOrder, buildModel, removeOrder, updateOrder, type CoPurchaseModel } from "~/recommend/copurchase";
import { complementsFor, indexNeighbours } from "~/recommend/complements";
import { DEFAULT_BLEND, type Blend } from "~/recommend/blend";
import { basketsFromOrders, learnBlend } from "~/recommend/evaluate";
import { loadModel, serialiseModel, type CoPurchaseJson } from "~/recommend/storage";
import { repeatTimings, type RepeatTiming } from "~/recommend/timing";
import { productUpgrades, type ProductUpgrade } from "~/recommend/upgrades";
import type { Learned } from "~/offers/catalog";
import { catalogProducts } from "./catalog.server";
import { loadOrderInputs } from "~/orders/rows.server";

/**
 * A shop learns its own blend (and recency half-life) from this many of its latest orders at
 * most: enough to tell the terms apart, a bounded cost for a rebuild.
 */
const LEARN_FROM_ORDERS = 20_000;
/** With fewer orders of two or more products, a shop's own fit is noise: the default ranks. */
const LEARN_MIN_BASKETS = 500;
/** How old refill timings and move-ups may grow before an incoming order relearns them. */
const HISTORY_MAX_AGE_MS = 24 * 3_600_000;
/** How long a rebuild waits before looking again for the catalog sync it needs. */
const CATALOG_WAIT_MS = 5_000;
/** A move to a dearer product made by fewer customers is not yet a pattern. */
const UPGRADE_MIN_CUSTOMERS = 10;

export interface Recommendations {
  model: CoPurchaseModel;
  /** How the shop's suggestions are ranked: learned on its own orders, or the default. */
  blend: Blend;
  timings: RepeatTiming[];
  upgrades: ProductUpgrade[];
  orders: number;
  builtAt: Date;
  updatedAt: Date;
  latestOrderAt: Date | null;
}

/** What only a full rebuild recomputes: it needs every customer's whole history. */
interface HistoryFacts {
  timings: RepeatTiming[];
  upgrades: ProductUpgrade[];
  blend: Blend | null;
}

function saveModel(db: Db, shop: string, model: CoPurchaseModel, history?: HistoryFacts) {
  const data = {
    model: JSON.stringify(serialiseModel(model)), orders: model.orders,
    latestOrderAt: model.latestOrderAt === null ? null : new Date(model.latestOrderAt),
    ...(history ? {
      timings: JSON.stringify(history.timings), upgrades: JSON.stringify(history.upgrades), builtAt: new Date(),
      blend: history.blend && JSON.stringify(history.blend),
    } : {}),
  };
  return db.recommendationModel.upsert({ where: { shop }, create: { shop, builtAt: new Date(), ...data }, update: data });
}

/** The lock under which a shop's learned model is read, changed and written back. */
const modelLock = (shop: string) => `model:${shop}`;

/**
 * The `recommend.rebuild` job: relearns the shop's model from every mirrored order. The rows
 * and the last change recorded are read in one transaction (one snapshot), so the changes the
 * rows already show are cleared with the new model, and those recorded since are folded in
 * after it; under the shop's model lock, so no fold runs meanwhile.
 */
export async function rebuildJob(job: ClaimedJob): Promise<void> {
  const { shop } = job;
  // Move-ups compare the catalog's products and prices. While the catalog is being mirrored
  // (after install the sync runs beside the order backfill, whose end asks for this rebuild),
  // wait for it rather than learn from an empty or half-mirrored catalog.
  if (await hasPendingJob(shop, "catalog.sync")) {
    await enqueue(shop, "recommend.rebuild", {}, { delayMs: CATALOG_WAIT_MS });
    return;
  }
  const run = await beginRun(shop, "recommendations", job.id);
  try {
    await withLock(modelLock(shop), async () => {
      const { orders, lastChange } = await prisma.$transaction(async (tx) => ({
        lastChange: (await tx.modelChange.findFirst({ where: { shop }, orderBy: { id: "desc" }, select: { id: true } }))?.id ?? 0,
        orders: await loadOrderInputs(shop, tx),
      }), { isolationLevel: "Serializable" });
      await prisma.syncRun.update({ where: { id: run.id }, data: { total: orders.length } });
      const blend = shopBlend(orders);
      const model = buildModel(orders, { keying: "product", halfLifeDays: (blend ?? DEFAULT_BLEND).halfLifeDays });
      // Variants of one product are one refill (the 3-pack and the 6-pack of capsules).
      const timings = repeatTimings(orders, { keying: "product" });
      const upgrades = [...productUpgrades(orders, await catalogProducts(shop), { minCustomers: UPGRADE_MIN_CUSTOMERS }).values()].flat();
      await atomically(async (db) => {
        await saveModel(db, shop, model, { timings, upgrades, blend });
        await db.modelChange.deleteMany({ where: { shop, id: { lte: lastChange } } });
        await db.syncRun.update({ where: { id: run.id }, data: { done: orders.length } });
        await finishRun(run.id, {}, db);
        // What the storefront's recommendation windows show follows from what was just learned.
        await enqueueJob(shop, "recommend.publish", {}, {}, db);
      });
    });
  } catch (error) {
    await finishRun(run.id, { error });
    throw error;
  }
}

/**
 * The shop's own blend, fitted on its latest orders (the evaluation's learnBlend: the latest
 * fifth of them checks each candidate), or null when it has too few baskets to tell.
 */
function shopBlend(orders: readonly OrderInput[]): Blend | null {
  const baskets = basketsFromOrders(orders).sort((a, b) => a.at - b.at).slice(-LEARN_FROM_ORDERS);
  if (baskets.filter((b) => b.items.length > 1).length < LEARN_MIN_BASKETS) return null;
  return learnBlend(baskets);
}

export function latestRebuild(shop: string) {
  return latestSyncRun(shop, "recommendations");
}

function fold(model: CoPurchaseModel, before: OrderInput | null, after: OrderInput | null): void {
  if (before && after) updateOrder(model, before, after);
  else if (after) addOrder(model, after);
  else if (before) removeOrder(model, before);
}

const parseInput = (json: string | null) => (json === null ? null : (JSON.parse(json) as OrderInput));

/** Changes folded per transaction: a burst of webhooks is folded in a few model writes. */
const FOLD_BATCH = 2_000;

/**
 * The `recommend.fold` job: folds the changes recorded since the model last counted (what was
 * counted for an order comes out, what it is now goes in: a refund removes its lines, a
 * cancellation the whole order), in the order they were recorded, then saves the model and
 * clears those changes in one transaction, so each change is counted exactly once. Without a
 * model yet, the first rebuild counts everything. Refill timings and move-ups need each
 * customer's whole history: a rebuild relearns them once they are a day old.
 */
export async function foldJob(job: ClaimedJob): Promise<void> {
  const { shop } = job;
  await withLock(modelLock(shop), async () => {
    const changes = await prisma.modelChange.findMany({ where: { shop }, orderBy: { id: "asc" }, take: FOLD_BATCH });
    if (!changes.length) return;
    const last = changes.at(-1)!.id;
    const stored = await prisma.recommendationModel.findUnique({ where: { shop }, select: { model: true, builtAt: true } });
    if (!stored) {
      await prisma.modelChange.deleteMany({ where: { shop, id: { lte: last } } });
      return;
    }
    const model = loadModel(JSON.parse(stored.model) as CoPurchaseJson);
    try {
      for (const change of changes) fold(model, parseInput(change.before), parseInput(change.after));
    } catch (error) {
      // The model and the changes disagree (rows changed behind its back): relearn from the rows.
      console.error("uplift: orders could not be folded in, rebuilding", error);
      await enqueue(shop, "recommend.rebuild", {});
      return;
    }
    const stale = Date.now() - stored.builtAt.getTime() > HISTORY_MAX_AGE_MS;
    await atomically(async (db) => {
      await saveModel(db, shop, model);
      await db.modelChange.deleteMany({ where: { shop, id: { lte: last } } });
      if (changes.length === FOLD_BATCH) await enqueueJob(shop, "recommend.fold", {}, {}, db);
      if (stale) await enqueueJob(shop, "recommend.rebuild", {}, {}, db);
    });
  });
}

export async function loadRecommendations(shop: string): Promise<Recommendations | null> {
  const row = await prisma.recommendationModel.findUnique({ where: { shop } });
  if (!row) return null;
  return {
    model: loadModel(JSON.parse(row.model) as CoPurchaseJson), blend: row.blend ? { ...DEFAULT_BLEND, ...(JSON.parse(row.blend) as Partial<Blend>) } : DEFAULT_BLEND, timings: JSON.parse(row.timings) as RepeatTiming[], upgrades: JSON.parse(row.upgrades) as ProductUpgrade[],
    orders: row.orders, builtAt: row.builtAt, updatedAt: row.updatedAt, latestOrderAt: row.latestOrderAt,
  };
}

/** Learned companions are only offered with this much evidence: one shared order is an anecdote. */
const LEARNED_MIN_ORDERS = 3;

/** A learned companion and why: "bought together in 312 orders, 4.1× more often than chance". */
export interface CompanionEvidence {
  productId: string;
  ordersTogether: number;
  timesChance: number;
}

/**
 * What the shop's orders taught, for offers to fill themselves: each anchor's companions,
 * best first (the learned half of a frequently-bought-together bundle), and every
 * product's move-ups (learned ladders). Empty when nothing is learned yet.
 */
export async function learnedFor(shop: string, anchors: string[], limit = 10): Promise<Learned> {
  const learned = await loadRecommendations(shop);
  if (!learned) return {};
  const index = indexNeighbours(learned.model);
  const companions = (anchor: string) => companionsOf(learned, index, anchor, limit).map((c) => c.productId);
  // What each product's buyers moved up to, most customers first.
  const upgrades = groupBy([...learned.upgrades].sort((a, b) => b.customers - a.customers), (u) => String(u.from), (u) => String(u.to));
  return { companions: new Map(anchors.map((anchor) => [anchor, companions(anchor)])), upgrades };
}

export async function learnedCompanionEvidence(shop: string, anchor: string, limit = 5): Promise<CompanionEvidence[]> {
  const learned = await loadRecommendations(shop);
  return learned ? companionsOf(learned, indexNeighbours(learned.model), anchor, limit) : [];
}

function companionsOf(learned: Recommendations, index: ReturnType<typeof indexNeighbours>, anchor: string, limit: number): CompanionEvidence[] {
  return complementsFor(learned.model, index, anchor, { limit, minOrders: LEARNED_MIN_ORDERS, blend: learned.blend })
    .map((c) => ({ productId: String(c.item), ordersTogether: c.ordersTogether, timesChance: c.timesChance }));
}
