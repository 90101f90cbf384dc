// The shop's learned model, kept in one row: rebuilt from the mirrored orders (after the
// order backfill, or when the merchant asks), and folded forward one order at a time by
// orders/* webhooks, so a new order is counted without rereading the history.
import prisma from "~/db.server";
import { groupBy } from "~/grouping";
import { beginRun, finishRun, latestSyncRun } from "~/catalog/sync.server";
import type { OrderInput } from "~/recommend/baskets";
import { addOrder, buildModel, updateOrder, type CoPurchaseModel } from "~/recommend/copurchase";
import { complementsFor, indexNeighbours } from "~/recommend/complements";
import { loadModel, serialiseModel, type CoPurchaseJson } from "~/recommend/storage";
import { repeatTimings, type RepeatTiming } from "~/recommend/timing";
import { productUpgrades, type ProductUpgrade } from "~/recommend/upgrades";
import type { Learned } from "~/offers/catalog";
import { catalogProducts } from "./catalog.server";
import { keptVersion, loadOrderInput, loadOrderInputs, recordToInput, writeOrder, type OrderRecord } from "./orders.server";

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

/**
 * A shop's model is read, changed and written back; changes for one shop run one after the
 * other in this process so none is lost between the read and the write. (Several app
 * instances would need a row lock; SQLite deployments run one.)
 */
const queues = new Map<string, Promise<unknown>>();

function exclusive<T>(shop: string, work: () => Promise<T>): Promise<T> {
  const previous = queues.get(shop) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(work);
  queues.set(shop, next);
  void next.finally(() => { if (queues.get(shop) === next) queues.delete(shop); }).catch(() => undefined);
  return next;
}

/** What only a full rebuild recomputes: it needs every customer's whole history. */
interface HistoryFacts {
  timings: RepeatTiming[];
  upgrades: ProductUpgrade[];
}

async function saveModel(shop: string, model: CoPurchaseModel, history?: HistoryFacts): Promise<void> {
  const data = {
    model: JSON.stringify(serialiseModel(model)), orders: model.orders,
    latestOrderAt: model.latestOrderAt === null ? null : new Date(model.latestOrderAt),
    ...(history ? { timings: JSON.stringify(history.timings), upgrades: JSON.stringify(history.upgrades), builtAt: new Date() } : {}),
  };
  await prisma.recommendationModel.upsert({ where: { shop }, create: { shop, builtAt: new Date(), ...data }, update: data });
}

async function rebuild(shop: string, runId: number): Promise<void> {
  const orders = await loadOrderInputs(shop);
  await prisma.syncRun.update({ where: { id: runId }, data: { total: orders.length } });
  const model = buildModel(orders, { keying: "product", halfLifeDays: HALF_LIFE_DAYS });
  // Variants of one product are one refill (the 3-pack and the 6-pack of capsules).
  const timings = repeatTimings(orders, { keying: "product" });
  const upgrades = [...productUpgrades(orders, await catalogProducts(shop), { minCustomers: UPGRADE_MIN_CUSTOMERS }).values()].flat();
  await saveModel(shop, model, { timings, upgrades });
  await prisma.syncRun.update({ where: { id: runId }, data: { done: orders.length } });
}

/** Rebuilds the shop's model from every mirrored order; false when a rebuild is already running. */
export async function rebuildRecommendations(shop: string): Promise<boolean> {
  const run = await beginRun(shop, "recommendations");
  if (!run) return false;
  await exclusive(shop, async () => {
    try {
      await rebuild(shop, run.id);
      await finishRun(run.id, {});
    } catch (error) {
      await finishRun(run.id, { error });
    }
  });
  return true;
}

/** Starts a rebuild in the background; the admin polls its SyncRun for progress. */
export function startRecommendationsRebuild(shop: string): void {
  void rebuildRecommendations(shop).catch((error) => console.error("uplift: recommendations rebuild crashed", error));
}

export function latestRebuild(shop: string) {
  return latestSyncRun(shop, "recommendations");
}

function fold(model: CoPurchaseModel, before: OrderInput | null, after: OrderInput): void {
  if (before) updateOrder(model, before, after);
  else addOrder(model, after);
}

/**
 * Writes one order's rows and folds the change into the model: what was counted for it
 * before comes out, what it is now goes in (a refund removes its lines, a cancellation the
 * whole order). Without a model yet, the rows wait for the first rebuild. Refill timings
 * and move-ups need each customer's whole history: they are relearned by a rebuild, which
 * an order starts once they are a day old.
 */
export async function applyOrder(shop: string, record: OrderRecord): Promise<void> {
  await exclusive(shop, async () => {
    // Deliveries may arrive out of order: an older version never replaces a newer one.
    const kept = await keptVersion(shop, record.id);
    if (kept && record.updatedAt && record.updatedAt < kept) return;
    const before = await loadOrderInput(shop, record.id);
    await writeOrder(shop, record);
    const stored = await prisma.recommendationModel.findUnique({ where: { shop }, select: { model: true, builtAt: true } });
    if (!stored) return;
    if (Date.now() - stored.builtAt.getTime() > HISTORY_MAX_AGE_MS) {
      // After this fold is saved: the rebuild rereads every row, this order's included.
      setImmediate(() => startRecommendationsRebuild(shop));
    }
    const model = loadModel(JSON.parse(stored.model) as CoPurchaseJson);
    try {
      fold(model, before, recordToInput(record));
    } catch (error) {
      // The model and the rows disagree (rows changed behind its back): relearn from the rows.
      console.error("uplift: order could not be folded in, rebuilding", error);
      startRecommendationsRebuild(shop);
      return;
    }
    await saveModel(shop, model);
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
