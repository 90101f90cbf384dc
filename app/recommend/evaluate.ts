// Offline evaluation by leave-one-out basket completion: learn from past baskets, then in
// each held-out basket hide one item at a time and ask for recommendations from the rest.
// A hit is the hidden item among the first K. Uplift's model is compared with the baselines
// a merchant could build by hand (best sellers, co-occurrence, association rules) and the
// strong ones of the field: item-based kNN (cosine) and EASE. All fill their tail with best
// sellers; all break ties by the lower item id (first seen in training), and count how often.
import { basketOf, type ItemKey, type Keying, type OrderInput } from "./baskets.ts";
import { buildFromDatedBaskets, type CoPurchaseModel } from "./copurchase.ts";
import { indexNeighbours, type NeighbourIndex } from "./complements.ts";
import { fitEase, type EaseFit } from "./ease.ts";
import { addScore, createScores, maxScore, takeTop, type Scores } from "./top.ts";
import { allRegressionVotes, blendRecommender, type Blend, type RegressionVotes } from "./blend.ts";
import { DENSE_MAX_ITEMS, EVERY_ITEM } from "./regression.ts";

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
  return buildFromDatedBaskets(baskets, { halfLifeDays });
}

/** Recommends up to `limit` item ids for a basket of item ids (never one already in it). */
export interface Recommender {
  (basket: readonly number[], limit: number): number[];
  /** How many lists so far were cut inside a run of equal scores. */
  ties(): number;
}

export interface Metrics {
  queries: number;
  hr5: number;
  hr10: number;
  ndcg10: number;
  /** Share of the catalogue that appears in at least one top-10 list. */
  coverage: number;
  /** Share of lists whose 10th and 11th candidates scored the same (the lower id went first). */
  ties: number;
  /** 1 where query i's hidden item was in the top 10: methods are compared query by query. */
  hits10: Uint8Array;
}

/**
 * a's HitRate@10 minus b's on the same queries, and the standard error of that difference
 * (paired: both answered the same queries), to tell a margin from sampling noise.
 */
export function pairedMargin(a: Metrics, b: Metrics): { margin: number; standardError: number } {
  const n = Math.min(a.hits10.length, b.hits10.length);
  if (n < 2) return { margin: a.hr10 - b.hr10, standardError: Number.NaN };
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const d = a.hits10[i]! - b.hits10[i]!;
    sum += d;
    squares += d * d;
  }
  const mean = sum / n;
  return { margin: mean, standardError: Math.sqrt((squares / n - mean * mean) / (n - 1)) };
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

/**
 * Which of a basket's n items are hidden in turn: all of them, or `most` spread evenly over
 * the basket (a wholesaler's 26-item orders would otherwise ask 26 queries of 25 items each).
 */
export function hiddenPositions(n: number, most: number): number[] {
  if (n <= most) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: most }, (_, j) => Math.floor((j * n) / most));
}

export function leaveOneOut(model: CoPurchaseModel, test: readonly DatedBasket[], recommend: Recommender, catalogueSize: number, hiddenPerBasket = Number.POSITIVE_INFINITY): Metrics {
  const unseen = new Map<ItemKey, number>();
  const shown = new Uint8Array(model.items.length);
  let covered = 0;
  let queries = 0;
  let hit5 = 0;
  let hit10 = 0;
  let dcg = 0;
  const tiesBefore = recommend.ties();
  const hits: number[] = [];
  for (const basket of test) {
    const ids = idsOf(model, basket.items, unseen);
    if (ids.length < 2) continue;
    for (const position of hiddenPositions(ids.length, hiddenPerBasket)) {
      const hidden = ids[position]!;
      const given = ids.filter((id) => id !== hidden && id < model.items.length);
      const list = recommend(given, 10);
      for (const id of list) if (!shown[id]) { shown[id] = 1; covered++; }
      const rank = list.indexOf(hidden);
      queries++;
      hits.push(rank >= 0 ? 1 : 0);
      if (rank < 0) continue;
      if (rank < 5) hit5++;
      hit10++;
      dcg += 1 / Math.log2(rank + 2);
    }
  }
  const share = (n: number) => (queries ? n / queries : 0);
  return {
    queries, hr5: share(hit5), hr10: share(hit10), ndcg10: share(dcg), coverage: catalogueSize ? covered / catalogueSize : 0,
    ties: share(recommend.ties() - tiesBefore), hits10: Uint8Array.from(hits),
  };
}

/** Item ids by raw orders, most first (ties: lower id). */
export function rawPopular(model: CoPurchaseModel): number[] {
  return Array.from({ length: model.items.length }, (_, id) => id)
    .filter((id) => model.itemOrders[id]! > 0)
    .sort((a, b) => model.itemOrders[b]! - model.itemOrders[a]! || a - b);
}

/** A recommender from a scoring pass: what it scored first, then best sellers it did not. */
export function scoredRecommender(model: CoPurchaseModel, score: (scores: Scores, basket: readonly number[], inBasket: ReadonlySet<number>) => void): Recommender {
  const popular = rawPopular(model);
  const scores = createScores(model.items.length);
  let fallbackTies = 0;
  const recommend = (basket: readonly number[], limit: number) => {
    const inBasket = new Set(basket);
    score(scores, basket, inBasket);
    const list = takeTop(scores, limit, inBasket);
    if (list.length >= limit) return list;
    const taken = new Set([...list, ...basket]);
    let last = -1;
    for (const id of popular) {
      if (taken.has(id)) continue;
      if (list.length === limit) {
        if (last >= 0 && model.itemOrders[id] === model.itemOrders[last]) fallbackTies++;
        break;
      }
      list.push(id);
      last = id;
    }
    return list;
  };
  return Object.assign(recommend, { ties: () => scores.ties + fallbackTies });
}

export function popularRecommender(model: CoPurchaseModel): Recommender {
  return scoredRecommender(model, () => undefined);
}

/** Scores every co-purchased candidate of each basket item with `add`. */
function neighbourRecommender(model: CoPurchaseModel, index: NeighbourIndex, add: (scores: Scores, a: number, c: number, together: number) => void): Recommender {
  return scoredRecommender(model, (scores, basket, inBasket) => {
    for (const a of basket) {
      for (let at = index.offsets[a]!; at < index.offsets[a + 1]!; at++) {
        const c = index.neighbour[at]!;
        if (!inBasket.has(c)) add(scores, a, c, index.orders[at]!);
      }
    }
  });
}

/** Raw co-occurrence: how many past orders held the candidate with each basket item. */
export function cooccurrenceRecommender(model: CoPurchaseModel, index: NeighbourIndex): Recommender {
  return neighbourRecommender(model, index, (scores, _a, c, together) => addScore(scores, c, together));
}

/** Association rules A → C with the best confidence n_AC / n_A over the basket's items. */
export function rulesRecommender(model: CoPurchaseModel, index: NeighbourIndex): Recommender {
  return neighbourRecommender(model, index, (scores, a, c, together) => maxScore(scores, c, together / model.itemOrders[a]!));
}

/** Item-based kNN: the candidate's cosine similarity n_AC / √(n_A·n_C) summed over the basket. */
export function knnRecommender(model: CoPurchaseModel, index: NeighbourIndex): Recommender {
  return neighbourRecommender(model, index, (scores, a, c, together) =>
    addScore(scores, c, together / Math.sqrt(model.itemOrders[a]! * model.itemOrders[c]!)));
}

/** EASE: the candidate's weights B_AC summed over the basket items the fit kept. */
export function easeRecommender(model: CoPurchaseModel, fit: EaseFit): Recommender {
  const n = fit.items.length;
  return scoredRecommender(model, (scores, basket) => {
    for (const a of basket) {
      const row = fit.row[a]!;
      if (row < 0) continue;
      for (let c = 0; c < n; c++) addScore(scores, fit.items[c]!, fit.weights[row * n + c]!);
    }
  });
}

export const EASE_LAMBDAS = [25, 100, 400, 1600];
/** Dense EASE on more items than this is too slow and too big here (n² weights, n³ to fit). */
export const EASE_MAX_ITEMS = 1200;

/** Best HitRate@10, then NDCG@10. */
const beats = (a: Metrics, b: Metrics | undefined) => !b || a.hr10 > b.hr10 || (a.hr10 === b.hr10 && a.ndcg10 > b.ndcg10);

/** EASE's ridge λ, chosen on the training baskets alone (their latest 20 % as validation). */
export function tuneEase(train: readonly DatedBasket[], lambdas = EASE_LAMBDAS, maxItems = EASE_MAX_ITEMS, hiddenPerBasket = Number.POSITIVE_INFINITY): number {
  const { train: fit, test: validation } = splitBaskets(train, 0.2);
  const model = trainModel(fit, null);
  const catalogue = new Set(train.flatMap((b) => b.items)).size;
  let best: { lambda: number; metrics: Metrics } | undefined;
  for (const lambda of lambdas) {
    const metrics = leaveOneOut(model, validation, easeRecommender(model, fitEase(model, lambda, maxItems)), catalogue, hiddenPerBasket);
    if (beats(metrics, best?.metrics)) best = { lambda, metrics };
  }
  return best!.lambda;
}

/**
 * The values learnBlend tries for each of Uplift's parameters, swept in this order. The
 * regression leads; the pair terms of the earlier model (shrunk confidence, cosine, naive
 * Bayes) join it only where the validation tells their gain from noise (GATED: with all of
 * them free to take any gain, the ascent picked blends that won on the validation baskets
 * and lost to EASE on the test baskets, groceries -0.0066 ± 0.0030). The regression's
 * predictors are each item's 100 most co-bought items, or, on a catalogue of at most
 * DENSE_MAX_ITEMS items, every item (EASE itself, with the blend's recency, ridge and
 * dropout): tried only where it is affordable.
 */
export const BLEND_GRID: { [K in keyof Blend]: readonly Blend[K][] } = {
  halfLifeDays: [null, 90, 180, 365],
  regression: [10],
  ridge: [10, 30, 100, 300, 1000],
  dropout: [0, 0.25, 1],
  neighbours: [100, EVERY_ITEM],
  popularity: [0, 0.003, 0.01, 0.03],
  bayes: [0, 0.01, 0.03],
  bayesPrior: [100],
  confidence: [0, 0.3, 1, 3, 10],
  confidencePrior: [5],
  cosine: [0, 0.3, 1],
  anchorNorm: [0],
};
/** Where the ascent starts: the neighbourhood regression alone (EASE's corner). */
const BLEND_STARTS: Blend[] = [
  { confidence: 0, confidencePrior: 5, cosine: 0, bayes: 0, bayesPrior: 100, popularity: 0, anchorNorm: 0, halfLifeDays: null, regression: 10, ridge: 100, dropout: 0, neighbours: 100 },
];
/**
 * How much validation fits the blend: up to this many queries, and up to this many given
 * items over all of them (what a query costs): every query of a small shop's validation
 * baskets (a stable HitRate: each blend tried is one noisy draw), a few thousand of a
 * wholesaler's 26-item orders.
 */
const VALIDATION_QUERIES = 8000;
const VALIDATION_ITEMS = 40_000;

/**
 * The pair terms beside the regression (rules, cosine, naive Bayes, the anchor discount): each
 * changes only when its validation HitRate@10 gain is beyond GATE_SE paired standard errors.
 * Held to any gain, they won on validation baskets and lost on the test (groceries).
 */
const GATED = new Set<keyof Blend>(["confidence", "cosine", "bayes", "anchorNorm"]);
export const GATE_SE = 2;
const clearlyBeats = (a: Metrics, b: Metrics) => {
  const { margin, standardError } = pairedMargin(a, b);
  return margin > GATE_SE * (Number.isFinite(standardError) ? standardError : 0);
};

/** Parameters that only matter while their term is weighted. */
const SETTING_OF: Partial<Record<keyof Blend, keyof Blend>> = {
  confidencePrior: "confidence", bayesPrior: "bayes", ridge: "regression", dropout: "regression", neighbours: "regression",
};
const idle = (blend: Blend, name: keyof Blend) => {
  const term = SETTING_OF[name];
  return term !== undefined && blend[term] === 0;
};

/** Every n-th basket, so that the queries and given items left stay within the budget, spread over the whole period. */
function spread(baskets: readonly DatedBasket[], hiddenPerBasket: number): DatedBasket[] {
  let queries = 0;
  let given = 0;
  for (const b of baskets) {
    if (b.items.length < 2) continue;
    const hidden = Math.min(b.items.length, hiddenPerBasket);
    queries += hidden;
    given += hidden * (b.items.length - 1);
  }
  const step = Math.max(1, Math.ceil(queries / VALIDATION_QUERIES), Math.ceil(given / VALIDATION_ITEMS));
  return baskets.filter((_, i) => i % step === 0);
}

/**
 * Fits Uplift's blend on the training baskets alone: their latest (or hashed) 20 % is the
 * validation set. Coordinate ascent: each parameter in turn takes its grid value with the
 * best validation HitRate@10 (then NDCG@10), the others held; one sweep from each start,
 * then a second from the best of them.
 */
export function learnBlend(train: readonly DatedBasket[], grid = BLEND_GRID, hiddenPerBasket = Number.POSITIVE_INFINITY): Blend {
  const { train: fit, test } = splitBaskets(train, 0.2);
  const validation = spread(test, hiddenPerBasket);
  const dated = train.some((b) => b.at !== 0);
  const catalogue = new Set(train.flatMap((b) => b.items)).size;
  const now = fit.reduce((latest, b) => Math.max(latest, b.at), 0);
  const models = new Map<number | null, { model: CoPurchaseModel; index: NeighbourIndex }>();
  const modelFor = (halfLifeDays: number | null) => {
    let built = models.get(halfLifeDays);
    if (!built) {
      const model = trainModel(fit, halfLifeDays);
      built = { model, index: indexNeighbours(model) };
      models.set(halfLifeDays, built);
    }
    return built;
  };
  const regressions = new Map<string, RegressionVotes>();
  const regressionFor = (blend: Blend) => {
    const key = JSON.stringify([blend.halfLifeDays, blend.ridge, blend.dropout, blend.neighbours]);
    let votes = regressions.get(key);
    if (!votes) {
      const { model, index } = modelFor(blend.halfLifeDays);
      votes = allRegressionVotes(model, index, blend, now);
      regressions.set(key, votes);
    }
    return votes;
  };
  const tried = new Map<string, Metrics>();
  const measure = (blend: Blend) => {
    const key = JSON.stringify(blend);
    let metrics = tried.get(key);
    if (!metrics) {
      const { model, index } = modelFor(blend.halfLifeDays);
      metrics = leaveOneOut(model, validation, blendRecommender(model, index, blend, now, blend.regression ? regressionFor(blend) : undefined), catalogue, hiddenPerBasket);
      tried.set(key, metrics);
    }
    return metrics;
  };
  const sweep = (start: Blend) => {
    let best = start;
    for (const name of Object.keys(grid) as (keyof typeof grid)[]) {
      const values = name === "halfLifeDays" && !dated ? [null]
        : name === "neighbours" && catalogue > DENSE_MAX_ITEMS ? grid.neighbours.filter((k) => k !== EVERY_ITEM) : grid[name];
      // A prior or a setting of a term weighted 0 changes nothing: not worth a measure.
      if (idle(best, name)) continue;
      for (const value of values) {
        const candidate = { ...best, [name]: value };
        if (GATED.has(name) ? clearlyBeats(measure(candidate), measure(best)) : beats(measure(candidate), measure(best))) best = candidate;
      }
    }
    return best;
  };
  return sweep(BLEND_STARTS.map(sweep).reduce((best, blend) => (beats(measure(blend), measure(best)) ? blend : best)));
}

export interface EvaluationOptions {
  testShare?: number;
  easeMaxItems?: number;
  /** Hide at most this many items of each held-out basket (default: every item, one at a time). */
  hiddenPerBasket?: number;
  /** Called as each stage starts ("tuning Uplift", "EASE λ", ...). */
  progress?: (stage: string) => void;
}

export interface Evaluation {
  train: number;
  test: number;
  queries: number;
  catalogue: number;
  blend: Blend;
  /** EASE's λ and how many items its dense fit kept (restricted: fewer than the catalogue). */
  easeFit: { lambda: number; items: number; catalogue: number; restricted: boolean };
  uplift: Metrics;
  popular: Metrics;
  cooccur: Metrics;
  rules: Metrics;
  knn: Metrics;
  ease: Metrics;
  seconds: number;
}

/** Splits, tunes each learned method on the past only, then scores every method on the held-out baskets. */
export function evaluateBaskets(baskets: readonly DatedBasket[], options: EvaluationOptions = {}): Evaluation {
  const started = performance.now();
  const progress = options.progress ?? (() => undefined);
  const maxItems = options.easeMaxItems ?? EASE_MAX_ITEMS;
  const { train, test } = splitBaskets(baskets, options.testShare ?? 0.2);
  progress(`split: ${train.length} training, ${test.length} test baskets; learning Uplift's blend`);
  const hidden = options.hiddenPerBasket ?? Number.POSITIVE_INFINITY;
  const blend = learnBlend(train, BLEND_GRID, hidden);
  progress("tuning EASE's λ on the training baskets");
  const lambda = tuneEase(train, EASE_LAMBDAS, maxItems, hidden);
  const model = trainModel(train, blend.halfLifeDays);
  const index = indexNeighbours(model);
  const catalogue = new Set(baskets.flatMap((b) => b.items)).size;
  const now = train.reduce((latest, b) => Math.max(latest, b.at), 0);
  const run = (name: string, recommend: () => Recommender) => {
    progress(`scoring ${name}`);
    return leaveOneOut(model, test, recommend(), catalogue, hidden);
  };
  const uplift = run("Uplift", () => blendRecommender(model, index, blend, now));
  progress(`fitting EASE (λ = ${lambda})`);
  const fit = fitEase(model, lambda, maxItems);
  return {
    train: train.length, test: test.length, queries: uplift.queries, catalogue, blend,
    easeFit: { lambda, items: fit.items.length, catalogue: fit.catalogue, restricted: fit.items.length < fit.catalogue },
    uplift,
    popular: run("best sellers", () => popularRecommender(model)),
    cooccur: run("co-occurrence", () => cooccurrenceRecommender(model, index)),
    rules: run("rules", () => rulesRecommender(model, index)),
    knn: run("kNN", () => knnRecommender(model, index)),
    ease: run("EASE", () => easeRecommender(model, fit)),
    seconds: (performance.now() - started) / 1000,
  };
}
