// EASE (Steck 2019, "Embarrassingly Shallow Autoencoders"): the item-item weights B that best
// rebuild each basket from its other items under a ridge penalty, in closed form:
//   P = (XᵀX + λI)⁻¹,  B_ij = -P_ij / P_jj,  B_jj = 0.
// XᵀX is exactly the co-purchase model's counts (orders per item on the diagonal, orders per
// pair off it), so no basket is reread. It is a baseline here, not what the shop runs: the
// weights are dense (n² numbers, 20 GB for 50,000 products) and a new order changes all of
// them. A large catalogue is cut to its `maxItems` most bought items, and the fit says so.
import type { CoPurchaseModel } from "./copurchase.ts";
import { forEachPair } from "./copurchase.ts";
import { invertPositiveDefinite } from "./linalg.ts";

export interface EaseFit {
  lambda: number;
  /** Model item id -> row of B, or -1 for items left out. */
  row: Int32Array;
  /** Row -> model item id. */
  items: Int32Array;
  /** n × n row-major: B[a·n + c] is what having a adds to c's score. */
  weights: Float64Array;
  /** Items the catalogue had with at least one order, of which `items.length` were kept. */
  catalogue: number;
}

/** The `maxItems` items in most orders (ties: lower id), as model ids. */
export function easeItems(model: CoPurchaseModel, maxItems: number): Int32Array {
  const ids = Array.from({ length: model.items.length }, (_, id) => id).filter((id) => model.itemOrders[id]! > 0);
  ids.sort((a, b) => model.itemOrders[b]! - model.itemOrders[a]! || a - b);
  return Int32Array.from(ids.slice(0, maxItems));
}

/** XᵀX restricted to `items`: raw order counts (EASE has no notion of recency). */
export function gramMatrix(model: CoPurchaseModel, items: Int32Array): { gram: Float64Array; row: Int32Array } {
  const n = items.length;
  const row = new Int32Array(model.items.length).fill(-1);
  items.forEach((id, r) => { row[id] = r; });
  const gram = new Float64Array(n * n);
  for (let r = 0; r < n; r++) gram[r * n + r] = model.itemOrders[items[r]!]!;
  forEachPair(model, (a, b, orders) => {
    const ra = row[a]!;
    const rb = row[b]!;
    if (ra < 0 || rb < 0) return;
    gram[ra * n + rb] = orders;
    gram[rb * n + ra] = orders;
  });
  return { gram, row };
}

/** B from XᵀX (consumed: the inverse is computed in place). */
export function easeWeights(gram: Float64Array, n: number, lambda: number): Float64Array {
  for (let r = 0; r < n; r++) gram[r * n + r]! += lambda;
  const p = invertPositiveDefinite(gram, n);
  // B_ac = -P_ac / P_cc: column c is divided by its own diagonal. Read the diagonal first.
  const diagonal = new Float64Array(n);
  for (let c = 0; c < n; c++) diagonal[c] = p[c * n + c]!;
  for (let a = 0; a < n; a++) {
    for (let c = 0; c < n; c++) p[a * n + c] = a === c ? 0 : -p[a * n + c]! / diagonal[c]!;
  }
  return p;
}

export function fitEase(model: CoPurchaseModel, lambda: number, maxItems: number): EaseFit {
  const items = easeItems(model, maxItems);
  const { gram, row } = gramMatrix(model, items);
  const catalogue = model.itemOrders.subarray(0, model.items.length).filter((n) => n > 0).length;
  return { lambda, row, items, weights: easeWeights(gram, items.length, lambda), catalogue };
}
