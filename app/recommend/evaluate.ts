// Offline evaluation by leave-one-out basket completion: learn from past baskets, then in
// each held-out basket hide one item at a time and ask for recommendations from the rest.
// A hit is the hidden item among the first K. Uplift's model is compared with three
// baselines a merchant could build by hand, all filling their tail with best sellers.
import { basketOf, type ItemKey, type Keying, type OrderInput } from "./baskets.ts";
import { addBasketIds, createModel, internItem, type CoPurchaseModel } from "./copurchase.ts";
import { completeBasketIds, indexNeighbours, popularIds, scorer, topIds, type NeighbourIndex, type ScoringOptions } from "./complements.ts";

/** A basket and when it was bought (0 when the data has no dates). */
export interface DatedBasket {
  items: ItemKey[];
  at: number;
}

export interface Split {
  train: DatedBasket[];
  test: DatedBasket[];
}

export function basketsFromOrders(orders: Iterable<OrderInput>, keying: Keying = "product"): DatedBasket[] {
  const baskets: DatedBasket[] = [];
  for (const order of orders) {
    const items = basketOf(order, keying);
    if (items.length) baskets.push({ items, at: order.createdAt });
  }
  return baskets;
}

/** The latest `testShare` of baskets (by date) are held out; the rest is the past. */
export function timeSplit(baskets: readonly DatedBasket[], testShare: number): Split {
  const sorted = [...baskets].sort((a, b) => a.at - b.at);
  const cut = Math.floor(sorted.length * (1 - testShare));
  return { train: sorted.slice(0, cut), test: sorted.slice(cut) };
}

/** Without dates: every basket whose position hashes below `testShare` is held out. */
export function deterministicSplit(baskets: readonly DatedBasket[], testShare: number): Split {
  const split: Split = { train: [], test: [] };
  baskets.forEach((basket, i) => {
    const hash = Math.imul(i + 1, 2654435761) >>> 0;
    (hash / 2 ** 32 < testShare ? split.test : split.train).push(basket);
  });
  return split;
}

export function splitBaskets(baskets: readonly DatedBasket[], testShare: number): Split {
  return baskets.some((b) => b.at !== 0) ? timeSplit(baskets, testShare) : deterministicSplit(baskets, testShare);
}

export function trainModel(baskets: readonly DatedBasket[], halfLifeDays: number | null): CoPurchaseModel {
  const model = createModel({ halfLifeDays });
  for (const basket of baskets) addBasketIds(model, [...new Set(basket.items)].map((key) => internItem(model, key)), basket.at);
  return model;
}

/** Recommends up to `limit` item ids for a basket of item ids (never one already in it). */
export type Recommender = (basket: readonly number[], limit: number) => number[];

export interface Metrics {
  queries: number;
  hr5: number;
  hr10: number;
  ndcg10: number;
  /** Share of the catalogue that appears in at least one top-10 list. */
  coverage: number;
}

/** Basket items as the model's ids; items it never saw get ids past its end (never hit). */
function idsOf(model: CoPurchaseModel, items: readonly ItemKey[], unseen: Map<ItemKey, number>): number[] {
  return [...new Set(items)].map((key) => {
    const id = model.ids.get(key) ?? unseen.get(key);
    if (id !== undefined) return id;
    unseen.set(key, model.items.length + unseen.size);
    return model.items.length + unseen.size - 1;
  });
}

export function leaveOneOut(model: CoPurchaseModel, test: readonly DatedBasket[], recommend: Recommender, catalogueSize: number): Metrics {
  const unseen = new Map<ItemKey, number>();
  const shown = new Set<number>();
  let queries = 0;
  let hit5 = 0;
  let hit10 = 0;
  let dcg = 0;
  for (const basket of test) {
    const ids = idsOf(model, basket.items, unseen);
    if (ids.length < 2) continue;
    for (const hidden of ids) {
      const given = ids.filter((id) => id !== hidden && id < model.items.length);
      const list = recommend(given, 10);
      list.forEach((id) => shown.add(id));
      const rank = list.indexOf(hidden);
      queries++;
      if (rank < 0) continue;
      if (rank < 5) hit5++;
      hit10++;
      dcg += 1 / Math.log2(rank + 2);
    }
  }
  const share = (n: number) => (queries ? n / queries : 0);
  return { queries, hr5: share(hit5), hr10: share(hit10), ndcg10: share(dcg), coverage: catalogueSize ? shown.size / catalogueSize : 0 };
}

/** Fills a scored list up to `limit` with best sellers, skipping the basket. */
function withFallback(scored: [number, number][], basket: readonly number[], popular: readonly number[], limit: number): number[] {
  const list = topIds(scored, limit);
  const taken = new Set([...list, ...basket]);
  for (const id of popular) {
    if (list.length >= limit) break;
    if (!taken.has(id)) list.push(id);
  }
  return list;
}

/** Item ids by raw orders, most first. */
function rawPopular(model: CoPurchaseModel): number[] {
  return Array.from({ length: model.items.length }, (_, id) => id).sort((a, b) => model.itemOrders[b]! - model.itemOrders[a]! || a - b);
}

export function popularRecommender(model: CoPurchaseModel): Recommender {
  const popular = rawPopular(model);
  return (basket, limit) => withFallback([], basket, popular, limit);
}

/** Sums, over the basket's items, a score of each co-purchased candidate. */
function neighbourRecommender(model: CoPurchaseModel, index: NeighbourIndex, combine: (previous: number, a: number, together: number) => number): Recommender {
  const popular = rawPopular(model);
  return (basket, limit) => {
    const inBasket = new Set(basket);
    const scores = new Map<number, number>();
    for (const a of basket) {
      for (let at = index.offsets[a]!; at < index.offsets[a + 1]!; at++) {
        const c = index.neighbour[at]!;
        if (!inBasket.has(c)) scores.set(c, combine(scores.get(c) ?? 0, a, index.orders[at]!));
      }
    }
    return withFallback([...scores], basket, popular, limit);
  };
}

/** Raw co-occurrence: how many past orders held the candidate with each basket item. */
export function cooccurrenceRecommender(model: CoPurchaseModel, index: NeighbourIndex): Recommender {
  return neighbourRecommender(model, index, (previous, _a, together) => previous + together);
}

/** Association rules A → C with the best confidence n_AC / n_A over the basket's items. */
export function rulesRecommender(model: CoPurchaseModel, index: NeighbourIndex): Recommender {
  return neighbourRecommender(model, index, (previous, a, together) => Math.max(previous, together / model.itemOrders[a]!));
}

/** Uplift's scores (shrunk confidence and lift, recency-weighted) as of `now`. */
export function upliftRecommender(model: CoPurchaseModel, index: NeighbourIndex, options: ScoringOptions): Recommender {
  const s = scorer(model, options);
  const fallback = popularIds(model, 100);
  return (basket, limit) => completeBasketIds(index, s, basket, limit, fallback);
}

export interface Tuning extends Required<Pick<ScoringOptions, "confidencePrior" | "liftPrior" | "liftExponent">> {
  halfLifeDays: number | null;
}

export const TUNING_GRID = {
  confidencePrior: [1, 5, 20, 50, 200],
  liftPrior: [10],
  liftExponent: [0, 0.25, 0.5, 1],
  halfLifeDays: [null, 90, 180, 365],
};

/**
 * Chooses Uplift's parameters on the training baskets alone: its latest (or hashed) 20 %
 * is a validation set, the test baskets are never looked at. Best HitRate@10, then NDCG.
 */
export function tune(train: readonly DatedBasket[], grid = TUNING_GRID): Tuning {
  const { train: fit, test: validation } = splitBaskets(train, 0.2);
  const dated = train.some((b) => b.at !== 0);
  const catalogue = new Set(train.flatMap((b) => b.items)).size;
  let best: { tuning: Tuning; metrics: Metrics } | null = null;
  for (const halfLifeDays of dated ? grid.halfLifeDays : [null]) {
    const model = trainModel(fit, halfLifeDays);
    const index = indexNeighbours(model);
    const now = fit.at(-1)?.at ?? 0;
    for (const confidencePrior of grid.confidencePrior) {
      for (const liftPrior of grid.liftPrior) {
        for (const liftExponent of grid.liftExponent) {
          const tuning = { confidencePrior, liftPrior, liftExponent, halfLifeDays };
          const metrics = leaveOneOut(model, validation, upliftRecommender(model, index, { ...tuning, now }), catalogue);
          if (!best || metrics.hr10 > best.metrics.hr10 || (metrics.hr10 === best.metrics.hr10 && metrics.ndcg10 > best.metrics.ndcg10)) best = { tuning, metrics };
        }
      }
    }
  }
  return best!.tuning;
}

export interface Evaluation {
  train: number;
  test: number;
  queries: number;
  catalogue: number;
  tuning: Tuning;
  uplift: Metrics;
  popular: Metrics;
  cooccur: Metrics;
  rules: Metrics;
}

/** Splits, tunes on the past, then scores every method on the held-out baskets. */
export function evaluateBaskets(baskets: readonly DatedBasket[], testShare = 0.2, grid = TUNING_GRID): Evaluation {
  const { train, test } = splitBaskets(baskets, testShare);
  const tuning = tune(train, grid);
  const model = trainModel(train, tuning.halfLifeDays);
  const index = indexNeighbours(model);
  const catalogue = new Set(baskets.flatMap((b) => b.items)).size;
  const now = train.reduce((latest, b) => Math.max(latest, b.at), 0);
  const run = (recommend: Recommender) => leaveOneOut(model, test, recommend, catalogue);
  const uplift = run(upliftRecommender(model, index, { ...tuning, now }));
  return {
    train: train.length, test: test.length, queries: uplift.queries, catalogue, tuning, uplift,
    popular: run(popularRecommender(model)), cooccur: run(cooccurrenceRecommender(model, index)), rules: run(rulesRecommender(model, index)),
  };
}
