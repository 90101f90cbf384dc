// The shop's learned model, kept in one row: rebuilt from the mirrored orders (after the
// order backfill, or when the merchant asks), and folded forward by orders/* webhooks (the
// orders they change, recorded by app/orders), so a new order is counted without rereading
// the history.
import prisma from "~/db.server";
import { groupBy } from "~/grouping";
import { beginRun, finishRun, finishRunWrite, latestSyncRun } from "~/catalog/sync.server";
import { enqueue, enqueueJob, type ClaimedJob } from "~/jobs/queue.server";
import { withLock } from "~/jobs/locks.server";
import type { OrderInput } from "~/recommend/baskets";
import { addOrder, buildModel, removeOrder, updateOrder, type CoPurchaseModel } from "~/recommend/copurchase";
import { complementsFor, indexNeighbours } from "~/recommend/complements";
import { loadModel, serialiseModel, type CoPurchaseJson } from "~/recommend/storage";
import { repeatTimings, type RepeatTiming } from "~/recommend/timing";
import { productUpgrades, type ProductUpgrade } from "~/recommend/upgrades";
import type { Learned } from "~/offers/catalog";
import { catalogProducts } from "./catalog.server";
import { loadOrderInputs, loadOrderInputsById, modelLock } from "~/orders/rows.server";

/** An order half a year old counts half: what sells together now matters most. */
export const HALF_LIFE_DAYS = 180;
/** How old refill timings and move-ups may grow before an incoming order relearns them. */
const HISTORY_MAX_AGE_MS = 24 * 3_600_000;
/** A move to a dearer product made by fewer customers is not yet a pattern. */
const UPGRADE_MIN_CUSTOMERS = 10;

export interface Recommendations {
  model: CoPurchaseModel;
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
}

function saveModelWrite(shop: string, model: CoPurchaseModel, history?: HistoryFacts) {
  const data = {
    model: JSON.stringify(serialiseModel(model)), orders: model.orders,
    latestOrderAt: model.latestOrderAt === null ? null : new Date(model.latestOrderAt),
    ...(history ? { timings: JSON.stringify(history.timings), upgrades: JSON.stringify(history.upgrades), builtAt: new Date() } : {}),
  };
  return prisma.recommendationModel.upsert({ where: { shop }, create: { shop, builtAt: new Date(), ...data }, update: data });
}

/**
 * The `recommend.rebuild` job: relearns the shop's model from every mirrored order. Under the
 * shop's model lock, so no order is written between the read and the save; the pending
 * changes it has now counted go in the same transaction as the model.
 */
export async function rebuildJob(job: ClaimedJob): Promise<void> {
  const { shop } = job;
  const run = await beginRun(shop, "recommendations", job.id);
  try {
    await withLock(modelLock(shop), async () => {
      const orders = await loadOrderInputs(shop);
      await prisma.syncRun.update({ where: { id: run.id }, data: { total: orders.length } });
      const model = buildModel(orders, { keying: "product", halfLifeDays: HALF_LIFE_DAYS });
      // Variants of one product are one refill (the 3-pack and the 6-pack of capsules).
      const timings = repeatTimings(orders, { keying: "product" });
      const upgrades = [...productUpgrades(orders, await catalogProducts(shop), { minCustomers: UPGRADE_MIN_CUSTOMERS }).values()].flat();
      await prisma.$transaction([
        saveModelWrite(shop, model, { timings, upgrades }),
        prisma.modelChange.deleteMany({ where: { shop } }),
        prisma.syncRun.update({ where: { id: run.id }, data: { done: orders.length } }),
        finishRunWrite(run.id, {}),
      ]);
    });
  } catch (error) {
    await finishRun(run.id, { error });
    throw error;
  }
}

export function latestRebuild(shop: string) {
  return latestSyncRun(shop, "recommendations");
}

function fold(model: CoPurchaseModel, before: OrderInput | null, after: OrderInput | null): void {
  if (before && after) updateOrder(model, before, after);
  else if (after) addOrder(model, after);
  else if (before) removeOrder(model, before);
}

/** Orders folded per transaction: a burst of webhooks is folded in a few model writes. */
const FOLD_BATCH = 2_000;

/**
 * The `recommend.fold` job: folds every order changed since the model last counted it (what
 * was counted for it comes out, what it is now goes in: a refund removes its lines, a
 * cancellation the whole order), then saves the model and clears those changes in one
 * transaction, so each change is counted exactly once. Without a model yet, the first
 * rebuild counts everything. Refill timings and move-ups need each customer's whole history:
 * a rebuild relearns them once they are a day old.
 */
export async function foldJob(job: ClaimedJob): Promise<void> {
  const { shop } = job;
  await withLock(modelLock(shop), async () => {
    const changes = await prisma.modelChange.findMany({ where: { shop }, orderBy: { id: "asc" }, take: FOLD_BATCH });
    if (!changes.length) return;
    const ids = changes.map((c) => c.id);
    const stored = await prisma.recommendationModel.findUnique({ where: { shop }, select: { model: true, builtAt: true } });
    if (!stored) {
      await prisma.modelChange.deleteMany({ where: { id: { in: ids } } });
      return;
    }
    const model = loadModel(JSON.parse(stored.model) as CoPurchaseJson);
    const current = await loadOrderInputsById(shop, changes.map((c) => c.orderId));
    try {
      for (const change of changes) fold(model, change.before ? (JSON.parse(change.before) as OrderInput) : null, current.get(change.orderId) ?? null);
    } catch (error) {
      // The model and the rows disagree (rows changed behind its back): relearn from the rows.
      console.error("uplift: orders could not be folded in, rebuilding", error);
      await enqueue(shop, "recommend.rebuild", {});
      return;
    }
    const stale = Date.now() - stored.builtAt.getTime() > HISTORY_MAX_AGE_MS;
    await prisma.$transaction([
      saveModelWrite(shop, model),
      prisma.modelChange.deleteMany({ where: { id: { in: ids } } }),
      ...(changes.length === FOLD_BATCH ? [enqueueJob(shop, "recommend.fold", {})] : []),
      ...(stale ? [enqueueJob(shop, "recommend.rebuild", {})] : []),
    ]);
  });
}

export async function loadRecommendations(shop: string): Promise<Recommendations | null> {
  const row = await prisma.recommendationModel.findUnique({ where: { shop } });
  if (!row) return null;
  return {
    model: loadModel(JSON.parse(row.model) as CoPurchaseJson), timings: JSON.parse(row.timings) as RepeatTiming[], upgrades: JSON.parse(row.upgrades) as ProductUpgrade[],
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
  // What each product's buyers moved up to, most customers first.
  const upgrades = groupBy([...learned.upgrades].sort((a, b) => b.customers - a.customers), (u) => String(u.from), (u) => String(u.to));
  return { companions: new Map(anchors.map((anchor) => [anchor, companionsOf(learned.model, index, anchor, limit).map((c) => c.productId)])), upgrades };
}

export async function learnedCompanionEvidence(shop: string, anchor: string, limit = 5): Promise<CompanionEvidence[]> {
  const learned = await loadRecommendations(shop);
  return learned ? companionsOf(learned.model, indexNeighbours(learned.model), anchor, limit) : [];
}

function companionsOf(model: CoPurchaseModel, index: ReturnType<typeof indexNeighbours>, anchor: string, limit: number): CompanionEvidence[] {
  return complementsFor(model, index, anchor, { limit, minOrders: LEARNED_MIN_ORDERS })
    .map((c) => ({ productId: String(c.item), ordersTogether: c.ordersTogether, timesChance: c.timesChance }));
}
