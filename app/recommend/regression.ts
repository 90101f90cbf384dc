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
//
// A small catalogue can afford the whole of EASE: with `neighbours` EVERY_ITEM and at most
// DENSE_MAX_ITEMS items, every item predicts every other, items never bought with c included
// (they still explain c through the items they are bought with). All n systems share one
// matrix A = G + ridge: β_c[a] = -P_ac / P_cc with P = A⁻¹ (Steck's identity, which holds
// for any diagonal ridge), so A is factored once (n³/6) and each item's column solved when
// it is asked for (n²). Still nothing is stored but the counts.
import { decayFactor, forEachPair, pairKey, type CoPurchaseModel } from "./copurchase.ts";
import type { NeighbourIndex } from "./complements.ts";
import { choleskyFactor, inverseDiagonal, solveFactored, solvePositiveDefinite } from "./linalg.ts";
import { tableGet } from "./pair-table.ts";

export interface RegressionSettings {
  /** λ: the ridge, in (recency-weighted) orders. */
  ridge: number;
  /**
   * K: how many of each item's most co-bought items may predict it; EVERY_ITEM: every item
   * of the catalogue (exact EASE), while it has at most DENSE_MAX_ITEMS items.
   */
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

/** `neighbours` meaning every item of the catalogue: EASE itself, solved densely. */
export const EVERY_ITEM = 0;
/**
 * The most items solved densely: n² numbers (2 MB at 500) and n³/6 multiply-adds to factor, a
 * few tens of milliseconds at 500 here, paid again by each request that loads the model (at
 * 1,000 a product's companions took 0.35 to 0.75 s). A catalogue past it falls back to each
 * item's FALLBACK_NEIGHBOURS most co-bought items, which on a catalogue that size leave out
 * few of an item's co-bought items.
 */
export const DENSE_MAX_ITEMS = 500;
export const FALLBACK_NEIGHBOURS = 100;

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

/** The items with orders (the rows of a dense fit), in id order. */
export function activeItems(model: CoPurchaseModel): Uint32Array {
  const ids: number[] = [];
  for (let id = 0; id < model.items.length; id++) if (model.itemOrders[id]! > 0) ids.push(id);
  return Uint32Array.from(ids);
}

interface DenseFits {
  of(c: number): ItemRegression;
  /** β_c[a] = -P_ac / P_cc, from a's column of P and P's diagonal (no column of c needed). */
  weight(a: number, c: number): number;
  /** Every c with β_c[a], from a's column of P alone. */
  votes(a: number, visit: (c: number, weight: number) => void): void;
}

/**
 * Every item's regression over the whole catalogue `items`, solved on demand from one
 * Cholesky factor of A = G + ridge (factored at the first item asked for).
 */
function denseFits(model: CoPurchaseModel, items: Uint32Array, settings: RegressionSettings, factor: number): DenseFits {
  const n = items.length;
  const row = new Int32Array(model.items.length).fill(-1);
  items.forEach((id, r) => { row[id] = r; });
  let cholesky: Float64Array | undefined;
  const factored = () => {
    if (cholesky) return cholesky;
    const a = new Float64Array(n * n);
    for (let r = 0; r < n; r++) a[r * n + r] = model.itemWeight[items[r]!]! * factor * (1 + settings.dropout) + settings.ridge;
    forEachPair(model, (x, y, _orders, weight) => {
      const rx = row[x]!;
      const ry = row[y]!;
      if (rx < 0 || ry < 0) return;
      a[rx * n + ry] = weight * factor;
      a[ry * n + rx] = weight * factor;
    });
    return (cholesky = choleskyFactor(a, n));
  };
  // Columns of P solved so far (P is symmetric: also its rows), and its diagonal.
  const columns = new Map<number, Float64Array>();
  const column = (r: number) => {
    let p = columns.get(r);
    if (!p) {
      p = new Float64Array(n);
      p[r] = 1;
      solveFactored(factored(), n, p);
      columns.set(r, p);
    }
    return p;
  };
  let diagonal: Float64Array | undefined;
  const diagonalOf = () => (diagonal ??= inverseDiagonal(factored(), n));
  const of = (c: number): ItemRegression => {
    const rc = row[c]!;
    if (rc < 0 || n < 2) return EMPTY;
    const p = column(rc);
    const sources = new Uint32Array(n - 1);
    const weights = new Float64Array(n - 1);
    let at = 0;
    for (let r = 0; r < n; r++) {
      if (r === rc) continue;
      sources[at] = items[r]!;
      weights[at++] = -p[r]! / p[rc]!;
    }
    return { sources, weights };
  };
  const weight = (a: number, c: number) => {
    const ra = row[a]!;
    const rc = row[c]!;
    if (ra < 0 || rc < 0 || ra === rc) return 0;
    return -column(ra)[rc]! / diagonalOf()[rc]!;
  };
  const votes = (a: number, visit: (c: number, weight: number) => void) => {
    const ra = row[a]!;
    if (ra < 0) return;
    const p = column(ra);
    const d = diagonalOf();
    for (let r = 0; r < n; r++) if (r !== ra && p[r]) visit(items[r]!, -p[r]! / d[r]!);
  };
  return { of, weight, votes };
}

/**
 * One dense fit per model snapshot and settings: several anchors asked of one loaded model
 * share its factor. The key changes with every order folded in or out (and with `now`).
 */
const denseCache = new WeakMap<CoPurchaseModel, { key: string; fits: DenseFits }>();
function cachedDenseFits(model: CoPurchaseModel, items: Uint32Array, settings: RegressionSettings, factor: number): DenseFits {
  const key = JSON.stringify([model.orders, model.ordersWeight, model.slotsUsed, items.length, factor, settings.ridge, settings.dropout]);
  const cached = denseCache.get(model);
  if (cached?.key === key) return cached.fits;
  const fits = denseFits(model, items, settings, factor);
  denseCache.set(model, { key, fits });
  return fits;
}

/** Items' regressions solved on demand and kept: one snapshot of a model, as of `now`. */
export interface ItemRegressions {
  settings: RegressionSettings;
  of(c: number): ItemRegression;
  /** What basket item `a` adds to candidate c's score (0 when a is not among c's predictors). */
  weight(a: number, c: number): number;
  /** Calls back with every candidate c that `a` may predict (its co-bought items, or every item when dense) and β_c[a]. */
  votes(a: number, visit: (c: number, weight: number) => void): void;
}

export function itemRegressions(model: CoPurchaseModel, index: NeighbourIndex, settings: RegressionSettings, now = model.latestOrderAt ?? 0): ItemRegressions {
  const solved = new Map<number, ItemRegression>();
  const factor = decayFactor(model, now);
  const items = settings.neighbours === EVERY_ITEM ? activeItems(model) : undefined;
  const dense = items && items.length <= DENSE_MAX_ITEMS ? cachedDenseFits(model, items, settings, factor) : undefined;
  const local = items ? { ...settings, neighbours: FALLBACK_NEIGHBOURS } : settings;
  const of = (c: number) => {
    let fit = solved.get(c);
    if (!fit) {
      fit = dense ? dense.of(c) : fitItem(model, index, c, local, factor);
      solved.set(c, fit);
    }
    return fit;
  };
  const weight = (a: number, c: number) => {
    if (dense) return dense.weight(a, c);
    const fit = of(c);
    const at = fit.sources.indexOf(a);
    return at < 0 ? 0 : fit.weights[at]!;
  };
  return {
    settings, of, weight,
    votes(a, visit) {
      if (dense) {
        dense.votes(a, visit);
        return;
      }
      for (let at = index.offsets[a]!; at < index.offsets[a + 1]!; at++) {
        const c = index.neighbour[at]!;
        const w = weight(a, c);
        if (w) visit(c, w);
      }
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
