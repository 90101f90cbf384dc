// "Frequently bought together": how much more likely B is in an order that holds A, with
// the evidence a merchant can check. Raw counts just echo best sellers, and raw lift
// crowns a pair seen once between two rare items; so both estimates are shrunk toward
// what a few orders cannot overturn:
//   confidence  P(B | A) ~ (n_AB + m·p_B) / (n_A + m)     (a Beta prior at B's base rate)
//   lift        (n_AB + k) / (E_AB + k), E_AB = n_A·n_B / N (k pseudo-orders at "chance")
// and an item's score is confidence · lift^γ: mostly "how likely", nudged toward the
// specific complement over the generic best seller. Counts are recency-weighted.
import type { ItemKey } from "./baskets.ts";
import { decayFactor, forEachPair, type CoPurchaseModel } from "./copurchase.ts";

export interface ScoringOptions {
  /** Read weights as of this time (ms); defaults to the latest order folded in. */
  now?: number;
  /** m: pseudo-orders behind the confidence prior. */
  confidencePrior?: number;
  /** k: pseudo-orders at chance behind the lift. */
  liftPrior?: number;
  /** γ: how much lift counts beside confidence (0: confidence only). */
  liftExponent?: number;
}

export const DEFAULT_SCORING = { confidencePrior: 5, liftPrior: 10, liftExponent: 0.25 } as const;

/** Every item's co-purchased items in one compact adjacency (CSR) snapshot of the model. */
export interface NeighbourIndex {
  offsets: Uint32Array;
  neighbour: Uint32Array;
  orders: Uint32Array;
  weight: Float64Array;
}

export function indexNeighbours(model: CoPurchaseModel): NeighbourIndex {
  const n = model.items.length;
  const offsets = new Uint32Array(n + 1);
  forEachPair(model, (a, b) => {
    offsets[a + 1]! += 1;
    offsets[b + 1]! += 1;
  });
  for (let i = 0; i < n; i++) offsets[i + 1]! += offsets[i]!;
  const fill = offsets.slice(0, n);
  const size = offsets[n]!;
  const index = { offsets, neighbour: new Uint32Array(size), orders: new Uint32Array(size), weight: new Float64Array(size) };
  const put = (from: number, to: number, orders: number, weight: number) => {
    const at = fill[from]!++;
    index.neighbour[at] = to;
    index.orders[at] = orders;
    index.weight[at] = weight;
  };
  forEachPair(model, (a, b, orders, weight) => {
    put(a, b, orders, weight);
    put(b, a, orders, weight);
  });
  return index;
}

/** The model's figures as of one moment, and the score of a candidate given one item. */
export interface Scorer {
  total: number;
  itemWeight(id: number): number;
  score(anchor: number, candidate: number, togetherWeight: number): number;
  timesChance(anchor: number, candidate: number, togetherWeight: number): number;
}

export function scorer(model: CoPurchaseModel, options: ScoringOptions = {}): Scorer {
  const m = options.confidencePrior ?? DEFAULT_SCORING.confidencePrior;
  const k = options.liftPrior ?? DEFAULT_SCORING.liftPrior;
  const gamma = options.liftExponent ?? DEFAULT_SCORING.liftExponent;
  const factor = decayFactor(model, options.now ?? model.latestOrderAt ?? 0);
  const total = model.ordersWeight * factor;
  const itemWeight = (id: number) => model.itemWeight[id]! * factor;
  const timesChance = (a: number, c: number, together: number) => (together * factor + k) / ((itemWeight(a) * itemWeight(c)) / total + k);
  return {
    total,
    itemWeight,
    timesChance,
    score(a, c, together) {
      if (total <= 0) return 0;
      const confidence = (together * factor + (m * itemWeight(c)) / total) / (itemWeight(a) + m);
      return gamma === 0 ? confidence : confidence * timesChance(a, c, together) ** gamma;
    },
  };
}

export interface Complement {
  item: ItemKey;
  score: number;
  /** Orders that held both (raw count, not weighted): "bought together in 312 orders". */
  ordersTogether: number;
  /** Shrunk, recency-weighted lift: "4.1× more often than chance". */
  timesChance: number;
  /** Share of the anchor's orders that also held this item (raw counts). */
  confidence: number;
}

export interface ComplementOptions extends ScoringOptions {
  limit?: number;
  /** Pairs seen in fewer orders are not shown (a single order is an anecdote). */
  minOrders?: number;
}

function complementsOfId(model: CoPurchaseModel, index: NeighbourIndex, s: Scorer, id: number, options: ComplementOptions): Complement[] {
  const minOrders = options.minOrders ?? 2;
  const found: Complement[] = [];
  for (let at = index.offsets[id]!; at < index.offsets[id + 1]!; at++) {
    const orders = index.orders[at]!;
    if (orders < minOrders) continue;
    const c = index.neighbour[at]!;
    const weight = index.weight[at]!;
    found.push({
      item: model.items[c]!, score: s.score(id, c, weight), ordersTogether: orders,
      timesChance: s.timesChance(id, c, weight), confidence: orders / model.itemOrders[id]!,
    });
  }
  return found.sort((x, y) => y.score - x.score).slice(0, options.limit ?? 10);
}

/** The best complements of one item, best first, with their evidence. */
export function complementsFor(model: CoPurchaseModel, index: NeighbourIndex, key: ItemKey, options: ComplementOptions = {}): Complement[] {
  const id = model.ids.get(key);
  return id === undefined ? [] : complementsOfId(model, index, scorer(model, options), id, options);
}

/** Top-K complements of every item (what gets precomputed into metafields). */
export function allComplements(model: CoPurchaseModel, index: NeighbourIndex, options: ComplementOptions = {}): Map<ItemKey, Complement[]> {
  const s = scorer(model, options);
  const result = new Map<ItemKey, Complement[]>();
  for (let id = 0; id < model.items.length; id++) {
    const list = complementsOfId(model, index, s, id, options);
    if (list.length) result.set(model.items[id]!, list);
  }
  return result;
}

/** Item ids by recency-weighted orders, most first: the fallback candidates of a basket. */
export function popularIds(model: CoPurchaseModel, limit: number): number[] {
  const ids = Array.from({ length: model.items.length }, (_, id) => id).filter((id) => model.itemOrders[id]! > 0);
  return ids.sort((a, b) => model.itemWeight[b]! - model.itemWeight[a]! || a - b).slice(0, limit);
}

/**
 * What to add to a basket: each candidate's scores given every basket item, summed. Items
 * never bought with the basket still have a prior score (their base rate), so candidates
 * are the basket's neighbours plus the `fallback` best sellers.
 */
export function completeBasketIds(index: NeighbourIndex, s: Scorer, basket: readonly number[], limit: number, fallback: readonly number[]): number[] {
  const inBasket = new Set(basket);
  const evidence = new Map<number, number>();
  for (const a of basket) {
    for (let at = index.offsets[a]!; at < index.offsets[a + 1]!; at++) {
      const c = index.neighbour[at]!;
      if (inBasket.has(c)) continue;
      const gain = s.score(a, c, index.weight[at]!) - s.score(a, c, 0);
      evidence.set(c, (evidence.get(c) ?? 0) + gain);
    }
  }
  for (const c of fallback) if (!inBasket.has(c) && !evidence.has(c)) evidence.set(c, 0);
  const scored: [number, number][] = [];
  for (const [c, gain] of evidence) {
    let prior = 0;
    for (const a of basket) prior += s.score(a, c, 0);
    scored.push([c, gain + prior]);
  }
  return topIds(scored, limit);
}

/** The ids of the `limit` highest scores, ties broken by id so results are deterministic. */
export function topIds(scored: [number, number][], limit: number): number[] {
  return scored.sort((x, y) => y[1] - x[1] || x[0] - y[0]).slice(0, limit).map(([id]) => id);
}

/** completeBasketIds for shop item keys. */
export function completeBasket(model: CoPurchaseModel, index: NeighbourIndex, basket: readonly ItemKey[], options: ScoringOptions & { limit?: number } = {}): ItemKey[] {
  const ids = basket.map((key) => model.ids.get(key)).filter((id): id is number => id !== undefined);
  const limit = options.limit ?? 10;
  const fallback = popularIds(model, limit + basket.length);
  return completeBasketIds(index, scorer(model, options), ids, limit, fallback).map((id) => model.items[id]!);
}
