// EASE restricted to each item's neighbourhood, so that it fits 50,000 products and follows
// the orders as they come. EASE (ease.ts) learns, for every candidate c, the ridge
// regression that best predicts "c is in the basket" from every other item:
//   β_c = (G_NN + λI)⁻¹ G_Nc  with G the Gram matrix XᵀX (orders per item, per pair),
// whose weights can be negative (an item that explains c away). Here N is c's `neighbours`
// items most often bought with it, rather than the whole catalogue: a K × K system per item
// (K³/6 multiply-adds), read straight from the co-purchase counts. Those counts are
// recency-weighted, so the regression follows what sells together now. Nothing is stored but
// the counts: an order folds into them as before, and an item's weights are solved when it is
// first asked for (ItemRegressions caches them for one snapshot of the model).
import { decayFactor, pairKey, type CoPurchaseModel } from "./copurchase.ts";
import type { NeighbourIndex } from "./complements.ts";
import { solvePositiveDefinite } from "./linalg.ts";
import { tableGet } from "./pair-table.ts";

export interface RegressionSettings {
  /** λ: the ridge, in (recency-weighted) orders. */
  ridge: number;
  /** K: how many of each item's most co-bought items may predict it. */
  neighbours: number;
  /**
   * Extra ridge on each predictor in proportion to its own orders (p / (1 - p) for dropout p,
   * as denoising autoencoders learn it): a best seller must earn its weight.
   */
  dropout: number;
}

/** One candidate's regression: which items predict it, and how much each adds to its score. */
export interface ItemRegression {
  sources: Uint32Array;
  weights: Float64Array;
}

const EMPTY: ItemRegression = { sources: new Uint32Array(0), weights: new Float64Array(0) };

/** c's `k` most co-bought items (recency-weighted; ties: lower id), from the neighbour index. */
function topNeighbours(index: NeighbourIndex, c: number, k: number): Uint32Array {
  const start = index.offsets[c]!;
  const end = index.offsets[c + 1]!;
  const positions = Array.from({ length: end - start }, (_, i) => start + i);
  if (positions.length > k) {
    positions.sort((x, y) => index.weight[y]! - index.weight[x]! || index.neighbour[x]! - index.neighbour[y]!);
    positions.length = k;
  }
  return Uint32Array.from(positions, (at) => index.neighbour[at]!);
}

/** Solves candidate c's local ridge regression on the model's counts as of `factor`. */
export function fitItem(model: CoPurchaseModel, index: NeighbourIndex, c: number, settings: RegressionSettings, factor: number): ItemRegression {
  const sources = topNeighbours(index, c, settings.neighbours);
  const k = sources.length;
  if (!k) return EMPTY;
  const gram = new Float64Array(k * k);
  const rhs = new Float64Array(k);
  const weightOf = (a: number, b: number) => {
    const slot = tableGet(model.slots, pairKey(a, b));
    return slot === undefined ? 0 : model.pairWeight[slot]! * factor;
  };
  for (let i = 0; i < k; i++) {
    const a = sources[i]!;
    gram[i * k + i] = model.itemWeight[a]! * factor * (1 + settings.dropout) + settings.ridge;
    rhs[i] = weightOf(a, c);
    for (let j = i + 1; j < k; j++) {
      const g = weightOf(a, sources[j]!);
      gram[i * k + j] = g;
      gram[j * k + i] = g;
    }
  }
  return { sources, weights: solvePositiveDefinite(gram, k, rhs) };
}

/** Items' regressions solved on demand and kept: one snapshot of a model, as of `now`. */
export interface ItemRegressions {
  settings: RegressionSettings;
  of(c: number): ItemRegression;
  /** What basket item `a` adds to candidate c's score (0 when a is not among c's predictors). */
  weight(a: number, c: number): number;
}

export function itemRegressions(model: CoPurchaseModel, index: NeighbourIndex, settings: RegressionSettings, now = model.latestOrderAt ?? 0): ItemRegressions {
  const solved = new Map<number, ItemRegression>();
  const factor = decayFactor(model, now);
  const of = (c: number) => {
    let fit = solved.get(c);
    if (!fit) {
      fit = fitItem(model, index, c, settings, factor);
      solved.set(c, fit);
    }
    return fit;
  };
  return {
    settings, of,
    weight(a, c) {
      const fit = of(c);
      const at = fit.sources.indexOf(a);
      return at < 0 ? 0 : fit.weights[at]!;
    },
  };
}

/** Every item's regression turned around: for each basket item a, the candidates it predicts. */
export interface RegressionIndex {
  offsets: Uint32Array;
  candidate: Uint32Array;
  weight: Float64Array;
}

/** Solves every item (a full rebuild, or an evaluation) and lays the weights out by predictor. */
export function indexRegressions(regressions: ItemRegressions, items: number): RegressionIndex {
  const fits = Array.from({ length: items }, (_, c) => regressions.of(c));
  const offsets = new Uint32Array(items + 1);
  for (const fit of fits) for (const a of fit.sources) offsets[a + 1]! += 1;
  for (let a = 0; a < items; a++) offsets[a + 1]! += offsets[a]!;
  const fill = offsets.slice(0, items);
  const candidate = new Uint32Array(offsets[items]!);
  const weight = new Float64Array(offsets[items]!);
  fits.forEach((fit, c) => {
    fit.sources.forEach((a, i) => {
      const at = fill[a]!++;
      candidate[at] = c;
      weight[at] = fit.weights[i]!;
    });
  });
  return { offsets, candidate, weight };
}
