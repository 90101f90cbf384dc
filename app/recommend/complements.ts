// "Frequently bought together": how much more likely B is in an order that holds A, with
// the evidence a merchant can check (orders together, times more often than chance, share
// of A's orders). The ranking is Uplift's learned blend (blend.ts): shrunk confidence, cosine
// similarity, log-lift and popularity, over recency-weighted counts. The lift shown is
// shrunk toward chance by k pseudo-orders, (n_AB + k) / (E_AB + k) with E_AB = n_A·n_B / N,
// so a pair seen once between two rare items does not claim to be 50× more likely.
import type { ItemKey } from "./baskets.ts";
import { forEachPair, type CoPurchaseModel } from "./copurchase.ts";
import { DEFAULT_BLEND, lazyRegressionVotes, pairScorer, regressionSettings, scoreBasket, weightedPopular, type Blend, type PairScorer } from "./blend.ts";
import { itemRegressions } from "./regression.ts";
import { createScores, takeTop } from "./top.ts";

export interface ScoringOptions {
  /** Read weights as of this time (ms); defaults to the latest order folded in. */
  now?: number;
  /** The ranking's weights; DEFAULT_BLEND unless a shop's own fit is given. */
  blend?: Blend;
}

/** Every item's co-purchased items in one compact adjacency (CSR) snapshot of the model. */
export interface NeighbourIndex {
  offsets: Uint32Array;
  neighbour: Uint32Array;
  orders: Uint32Array;
  weight: Float64Array;
  share: Float64Array;
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
  const index = { offsets, neighbour: new Uint32Array(size), orders: new Uint32Array(size), weight: new Float64Array(size), share: new Float64Array(size) };
  const put = (from: number, to: number, orders: number, weight: number, share: number) => {
    const at = fill[from]!++;
    index.neighbour[at] = to;
    index.orders[at] = orders;
    index.weight[at] = weight;
    index.share[at] = share;
  };
  forEachPair(model, (a, b, orders, weight, share) => {
    put(a, b, orders, weight, share);
    put(b, a, orders, weight, share);
  });
  return index;
}

export interface Complement {
  item: ItemKey;
  score: number;
  /** Orders that held both (raw count, not weighted): "bought together in 312 orders". */
  ordersTogether: number;
  /** Shrunk (k = SHOWN_LIFT_PRIOR), recency-weighted lift: "4.1× more often than chance". */
  timesChance: number;
  /** Share of the anchor's orders that also held this item (raw counts). */
  confidence: number;
}

export interface ComplementOptions extends ScoringOptions {
  limit?: number;
  /** Pairs seen in fewer orders are not shown (a single order is an anecdote). */
  minOrders?: number;
}

/** The blend's pair terms, and its regression's weight of the anchor toward the candidate. */
interface Ranker {
  s: PairScorer;
  /** β_c[a]: how much having a in the basket adds to c (solved per candidate, on demand). */
  regression(a: number, c: number): number;
}

function rankerFor(model: CoPurchaseModel, index: NeighbourIndex, options: ScoringOptions): Ranker {
  const s = pairScorer(model, options.blend ?? DEFAULT_BLEND, options.now);
  const weight = s.blend.regression;
  if (!weight) return { s, regression: () => 0 };
  const regressions = itemRegressions(model, index, regressionSettings(s.blend), options.now);
  return { s, regression: (a, c) => weight * regressions.weight(a, c) };
}

function complementsOfId(model: CoPurchaseModel, index: NeighbourIndex, { s, regression }: Ranker, id: number, options: ComplementOptions): Complement[] {
  const minOrders = options.minOrders ?? 2;
  const found: Complement[] = [];
  for (let at = index.offsets[id]!; at < index.offsets[id + 1]!; at++) {
    const orders = index.orders[at]!;
    if (orders < minOrders) continue;
    const c = index.neighbour[at]!;
    const weight = index.weight[at]!;
    found.push({
      item: model.items[c]!, score: s.prior(c) + s.pair(id, c, weight, index.share[at]!) + regression(id, c), ordersTogether: orders,
      timesChance: s.timesChance(id, c, weight), confidence: orders / model.itemOrders[id]!,
    });
  }
  // Equal scores keep the index's order (ids ascending from forEachPair), so lists are stable.
  return found.sort((x, y) => y.score - x.score).slice(0, options.limit ?? 10);
}

/** The best complements of one item, best first, with their evidence. */
export function complementsFor(model: CoPurchaseModel, index: NeighbourIndex, key: ItemKey, options: ComplementOptions = {}): Complement[] {
  const id = model.ids.get(key);
  return id === undefined ? [] : complementsOfId(model, index, rankerFor(model, index, options), id, options);
}

/** Top-K complements of every item (what gets precomputed into metafields). */
export function allComplements(model: CoPurchaseModel, index: NeighbourIndex, options: ComplementOptions = {}): Map<ItemKey, Complement[]> {
  const ranker = rankerFor(model, index, options);
  const result = new Map<ItemKey, Complement[]>();
  for (let id = 0; id < model.items.length; id++) {
    const list = complementsOfId(model, index, ranker, id, options);
    if (list.length) result.set(model.items[id]!, list);
  }
  return result;
}

/** What to add to a basket of shop item keys, best first: the blend summed over its items. */
export function completeBasket(model: CoPurchaseModel, index: NeighbourIndex, basket: readonly ItemKey[], options: ScoringOptions & { limit?: number } = {}): ItemKey[] {
  const ids = basket.map((key) => model.ids.get(key)).filter((id): id is number => id !== undefined);
  const limit = options.limit ?? 10;
  const scores = createScores(model.items.length);
  const inBasket = new Set(ids);
  const blend = options.blend ?? DEFAULT_BLEND;
  const votes = blend.regression ? lazyRegressionVotes(model, index, blend, options.now) : undefined;
  scoreBasket(index, pairScorer(model, blend, options.now), scores, ids, inBasket, weightedPopular(model, limit + ids.length), votes);
  return takeTop(scores, limit, inBasket).map((id) => model.items[id]!);
}
