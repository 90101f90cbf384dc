// The co-purchase model as JSON, for a per-shop row: counts only, live pairs only (freed
// slots are compacted away), so a reloaded model folds in new orders exactly as before.
// Format 1 had no pair shares: it loads with each pair's share equal to its weight (as if
// every order held two items) until the next rebuild recounts it.
import type { ItemKey, Keying } from "./baskets.ts";
import { createModel, forEachPair, pairKey, type CoPurchaseModel } from "./copurchase.ts";
import { tableSet } from "./pair-table.ts";

export const MODEL_FORMAT = 2;

export interface CoPurchaseJson {
  format: typeof MODEL_FORMAT | 1;
  keying: Keying;
  halfLifeDays: number | null;
  anchor: number | null;
  latestOrderAt: number | null;
  orders: number;
  ordersWeight: number;
  items: ItemKey[];
  itemOrders: number[];
  itemWeight: number[];
  /** Flat [a, b, orders, a, b, orders, ...] with a < b. */
  pairs: number[];
  pairWeight: number[];
  /** Absent in format 1. */
  pairShare?: number[];
}

export function serialiseModel(model: CoPurchaseModel): CoPurchaseJson {
  const pairs: number[] = [];
  const pairWeight: number[] = [];
  const pairShare: number[] = [];
  forEachPair(model, (a, b, orders, weight, share) => {
    pairs.push(a, b, orders);
    pairWeight.push(weight);
    pairShare.push(share);
  });
  const n = model.items.length;
  return {
    format: MODEL_FORMAT, keying: model.keying, halfLifeDays: model.halfLifeDays, anchor: model.anchor,
    latestOrderAt: model.latestOrderAt, orders: model.orders, ordersWeight: model.ordersWeight,
    items: [...model.items], itemOrders: [...model.itemOrders.subarray(0, n)], itemWeight: [...model.itemWeight.subarray(0, n)],
    pairs, pairWeight, pairShare,
  };
}

export function loadModel(json: CoPurchaseJson): CoPurchaseModel {
  if (json.format !== MODEL_FORMAT && json.format !== 1) throw new Error(`Unknown co-purchase model format ${String(json.format)}`);
  const model = createModel({ keying: json.keying, halfLifeDays: json.halfLifeDays });
  const n = json.items.length;
  const pairCount = json.pairWeight.length;
  Object.assign(model, {
    anchor: json.anchor, latestOrderAt: json.latestOrderAt, orders: json.orders, ordersWeight: json.ordersWeight,
    items: [...json.items], ids: new Map(json.items.map((key, id) => [key, id])),
    itemOrders: Uint32Array.from({ length: Math.max(n, 1) }, (_, i) => json.itemOrders[i] ?? 0),
    itemWeight: Float64Array.from({ length: Math.max(n, 1) }, (_, i) => json.itemWeight[i] ?? 0),
    pairA: new Uint32Array(Math.max(pairCount, 1)), pairB: new Uint32Array(Math.max(pairCount, 1)),
    pairOrders: new Uint32Array(Math.max(pairCount, 1)), pairWeight: Float64Array.from(json.pairWeight),
    pairShare: Float64Array.from(json.pairShare ?? json.pairWeight),
    slotsUsed: pairCount,
  });
  if (!model.pairWeight.length) model.pairWeight = new Float64Array(1);
  if (!model.pairShare.length) model.pairShare = new Float64Array(1);
  for (let slot = 0; slot < pairCount; slot++) {
    const [a, b, orders] = [json.pairs[slot * 3]!, json.pairs[slot * 3 + 1]!, json.pairs[slot * 3 + 2]!];
    model.pairA[slot] = a;
    model.pairB[slot] = b;
    model.pairOrders[slot] = orders;
    tableSet(model.slots, pairKey(a, b), slot);
  }
  return model;
}
