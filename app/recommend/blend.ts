// Uplift's ranking: a learned blend of what the strong models do, read from the co-purchase
// counts alone so that an order still folds in in microseconds and every suggestion keeps its
// evidence ("bought together in 239 orders, 7.7× more often than chance").
//
// Given a basket B, a candidate c scores (p_x = n_x / N, every count recency-weighted)
//   popularity · ln p_c
//   + bayes · [ ln p_c + Σ_{a ∈ B} ln((n_ac + j·p_a) / ((n_c + j)·p_a)) ]
//   + Σ_{a ∈ B} v_a · [ confidence · (n_ac + m·p_c) / (n_a + m) + cosine · s_ac / √(n_a·n_c) ]
// Each term is one model of the field: naive Bayes (the log-odds of c given the whole basket,
// P(a | c) shrunk toward P(a) by j pseudo-orders, negative for items bought together less
// than chance: the negative weights EASE learns), shrunk association rules (how likely), item
// kNN's normalised similarity (how specific, not just popular; s_ac counts an order of k
// items 1/√(k-1), as random-walk models do) and a popularity prior. A basket item bought
// with everything votes less: v_a = (Σ_c cosine(a, c))^-anchorNorm. The
// weights are not hand-set: learnBlend (evaluate.ts) fits them and the recency half-life on a
// shop's past baskets by coordinate ascent on HitRate@10, checking each on the latest fifth
// of that past, never on the baskets it is then evaluated on.
import { decayFactor, type CoPurchaseModel } from "./copurchase.ts";
import type { NeighbourIndex } from "./complements.ts";
import { indexRegressions, itemRegressions, type RegressionIndex, type RegressionSettings } from "./regression.ts";
import { addScore, createScores, takeTop, type Scores } from "./top.ts";

export interface Blend {
  /** Weight of the shrunk confidence (association rule) term. */
  confidence: number;
  /** m: pseudo-orders behind the confidence, at the candidate's base rate. */
  confidencePrior: number;
  /** Weight of the cosine similarity term. */
  cosine: number;
  /** Weight of the naive Bayes log-odds term. */
  bayes: number;
  /** j: pseudo-orders behind P(a | c), at a's base rate. */
  bayesPrior: number;
  /** Weight of the candidate's log base rate. */
  popularity: number;
  /** How much a basket item similar to many items is discounted (0: not at all). */
  anchorNorm: number;
  /** An order this many days old counts half; null: no decay. */
  halfLifeDays: number | null;
  /** Weight of the neighbourhood regression (regression.ts: EASE on each item's neighbours). */
  regression: number;
  /** The regression's ridge λ, in orders. */
  ridge: number;
  /** The regression's extra ridge per predictor, in proportion to its orders. */
  dropout: number;
  /** How many co-bought items may predict each item in the regression. */
  neighbours: number;
}

export const regressionSettings = (blend: Blend): RegressionSettings => ({ ridge: blend.ridge, dropout: blend.dropout, neighbours: blend.neighbours });

/**
 * What a shop runs before it has its own fit (too few orders to learn one): the neighbourhood
 * regression with a half-year half-life, values from the middle of what the bench's data sets
 * learn (tests/bench/results.json keeps each set's own).
 */
export const DEFAULT_BLEND: Blend = {
  confidence: 0, confidencePrior: 5, cosine: 0, bayes: 0.01, bayesPrior: 100, popularity: 0, anchorNorm: 0, halfLifeDays: 180,
  regression: 10, ridge: 100, dropout: 0.25, neighbours: 100,
};

/** k: pseudo-orders at chance behind the lift a merchant is shown, (n_ab + k) / (E_ab + k). */
export const SHOWN_LIFT_PRIOR = 10;

/** The model's figures as of `now`, and one pair's term of the score. */
export interface PairScorer {
  blend: Blend;
  /** Recency-weighted orders (as of now). */
  total: number;
  /** Recency-weighted orders per item (as of now). */
  weights: Float64Array;
  /** The stored (not yet decayed) weights times this are as of now. */
  factor: number;
  /** The candidate's own term (popularity prior). */
  prior(c: number): number;
  /** The pair's term given its stored (not yet decayed) weight and share; 0 when never together. */
  pair(a: number, c: number, together: number, share: number): number;
  /** Shrunk lift: "n× more often than chance". */
  timesChance(a: number, c: number, together: number): number;
}

export function pairScorer(model: CoPurchaseModel, blend: Blend, now = model.latestOrderAt ?? 0): PairScorer {
  const factor = decayFactor(model, now);
  const total = model.ordersWeight * factor;
  const weights = model.itemWeight.map((w) => w * factor);
  const { confidence, confidencePrior: m, cosine, bayes, bayesPrior: j, popularity } = blend;
  const k = SHOWN_LIFT_PRIOR;
  const timesChance = (a: number, c: number, together: number) => (together * factor + k) / ((weights[a]! * weights[c]!) / total + k);
  return {
    blend, total, weights, factor, timesChance,
    prior: (c) => (popularity + bayes && total > 0 ? (popularity + bayes) * Math.log(weights[c]! / total) : 0),
    pair(a, c, together, share) {
      if (total <= 0) return 0;
      const wa = weights[a]!;
      const wc = weights[c]!;
      const t = together * factor;
      let score = confidence * ((t + (m * wc) / total) / (wa + m));
      if (cosine && t > 0) score += (cosine * share * factor) / Math.sqrt(wa * wc);
      if (bayes) score += bayes * Math.log((t + (j * wa) / total) / (((wc + j) * wa) / total));
      return score;
    },
  };
}

/** Item ids by recency-weighted orders, most first (ties: lower id): a basket's fallback candidates. */
export function weightedPopular(model: CoPurchaseModel, limit: number): number[] {
  const ids = Array.from({ length: model.items.length }, (_, id) => id).filter((id) => model.itemOrders[id]! > 0);
  return ids.sort((a, b) => model.itemWeight[b]! - model.itemWeight[a]! || a - b).slice(0, limit);
}

/** Best sellers considered for every basket beside its items' co-purchases. */
const FALLBACK = 100;

/** Each basket item's vote v_a: 1, or less for an item similar to many (anchorNorm > 0). */
function anchorVotes(index: NeighbourIndex, s: PairScorer, basket: readonly number[]): Float64Array {
  const votes = new Float64Array(basket.length).fill(1);
  const power = s.blend.anchorNorm;
  if (!power) return votes;
  basket.forEach((a, i) => {
    let similar = 0;
    for (let at = index.offsets[a]!; at < index.offsets[a + 1]!; at++) {
      similar += (index.share[at]! * s.factor) / Math.sqrt(s.weights[a]! * s.weights[index.neighbour[at]!]!);
    }
    if (similar > 0) votes[i] = similar ** -power;
  });
  return votes;
}

/**
 * Scores a basket's candidates into `scores`: every item bought with one of its items, and the
 * best sellers. The terms of pairs never bought together still count (a best seller never
 * bought with the basket is evidence against it), so each candidate sums every basket item:
 * the same sum as prior(c) + Σ v_a·pair(a, c, n_ac, s_ac), rearranged so that the part every
 * candidate shares is computed once per basket (the evaluation runs this a few million times).
 */
export function scoreBasket(index: NeighbourIndex, s: PairScorer, scores: Scores, basket: readonly number[], inBasket: ReadonlySet<number>, fallback: readonly number[], regressions?: RegressionVotes): void {
  if (s.total <= 0) return;
  const weight = s.blend.regression;
  if (weight && regressions) for (const a of basket) regressions(a, (c, w) => { if (!inBasket.has(c)) addScore(scores, c, weight * w); });
  const { confidence, confidencePrior: m, cosine, bayes, bayesPrior: j } = s.blend;
  const { weights, factor, total } = s;
  const votes = anchorVotes(index, s, basket);
  let shrink = 0;
  basket.forEach((a, i) => {
    const vote = votes[i]!;
    const wa = weights[a]!;
    shrink += vote / (wa + m);
    const rootA = Math.sqrt(wa);
    // Without pair terms (the regression alone) a's co-bought items add nothing: skip them.
    if (!confidence && !cosine && !bayes) return;
    for (let at = index.offsets[a]!; at < index.offsets[a + 1]!; at++) {
      const c = index.neighbour[at]!;
      if (inBasket.has(c)) continue;
      // pair(a, c, n) - pair(a, c, 0): the Bayes term's denominators cancel.
      const t = index.weight[at]! * factor;
      let gain = (confidence * t) / (wa + m);
      if (cosine) gain += (cosine * index.share[at]! * factor) / (rootA * Math.sqrt(weights[c]!));
      if (bayes) gain += bayes * Math.log1p(t / ((j * wa) / total));
      addScore(scores, c, vote * gain);
    }
  });
  for (const c of fallback) if (!inBasket.has(c)) addScore(scores, c, 0);
  const voteSum = votes.reduce((sum, v) => sum + v, 0);
  for (let i = 0; i < scores.size; i++) {
    const c = scores.touched[i]!;
    const wc = weights[c]!;
    // Never bought together, every basket item's Bayes term is the same ln(j / (n_c + j)).
    let base = s.prior(c) + ((confidence * m * wc) / total) * shrink;
    if (bayes) base += bayes * voteSum * Math.log(j / (wc + j));
    scores.value[c]! += base;
  }
}

/** Calls back with every candidate c that basket item `a` predicts, and the weight β_c[a]. */
export type RegressionVotes = (a: number, visit: (c: number, weight: number) => void) => void;

/** Every item's regression solved at once (what an evaluation or a whole-catalogue pass needs). */
export function allRegressionVotes(model: CoPurchaseModel, index: NeighbourIndex, blend: Blend, now?: number): RegressionVotes {
  return votesOf(indexRegressions(itemRegressions(model, index, regressionSettings(blend), now), model.items.length));
}

export function votesOf(regressions: RegressionIndex): RegressionVotes {
  return (a, visit) => {
    for (let at = regressions.offsets[a]!; at < regressions.offsets[a + 1]!; at++) visit(regressions.candidate[at]!, regressions.weight[at]!);
  };
}

/**
 * The same votes solved on demand: a's co-bought items' regressions, each once (a few basket
 * items ask for a few hundred small systems, not the catalogue's).
 */
export function lazyRegressionVotes(model: CoPurchaseModel, index: NeighbourIndex, blend: Blend, now?: number): RegressionVotes {
  return itemRegressions(model, index, regressionSettings(blend), now).votes;
}

/** What to add to a basket (model ids), best first; ties go to the lower id. */
export function blendRecommender(model: CoPurchaseModel, index: NeighbourIndex, blend: Blend, now?: number, regressions?: RegressionVotes) {
  const s = pairScorer(model, blend, now);
  const votes = blend.regression ? (regressions ?? allRegressionVotes(model, index, blend, now)) : undefined;
  const scores = createScores(model.items.length);
  const fallback = weightedPopular(model, FALLBACK);
  const recommend = (basket: readonly number[], limit: number) => {
    const inBasket = new Set(basket);
    scoreBasket(index, s, scores, basket, inBasket, fallback, votes);
    return takeTop(scores, limit, inBasket);
  };
  return Object.assign(recommend, { ties: () => scores.ties });
}
