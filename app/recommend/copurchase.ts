// The co-purchase model: how many orders held each item and each pair of items, raw and
// recency-weighted. It is the compact fact a shop keeps instead of its raw orders: built
// from a stream of orders, an order folds in (or out, when cancelled or refunded) in
// microseconds, and it serialises to JSON for storage.
//
// Items are interned to dense integer ids; counts live in typed arrays; a pair of ids
// a < b is one entry of an integer hash table keyed by the triangular number
// b(b-1)/2 + a (no string keys, no nested maps, independent of how many items exist).
import { basketOf, type ItemKey, type Keying, type OrderInput } from "./baskets.ts";
import { createPairTable, tableDelete, tableGet, tableSet, type PairTable } from "./pair-table.ts";

export const DAY_MS = 86_400_000;

export interface CoPurchaseOptions {
  keying?: Keying;
  /** Recency weighting: an order this many days old counts half. null: no decay. */
  halfLifeDays?: number | null;
}

export interface CoPurchaseModel {
  keying: Keying;
  halfLifeDays: number | null;
  /**
   * Weights are stored as 2^((createdAt - anchor) / halfLife): folding in a new order never
   * rescales the old ones; decayFactor() brings them to "now" when they are read.
   */
  anchor: number | null;
  /** Latest createdAt folded in: the model's freshness. */
  latestOrderAt: number | null;
  orders: number;
  ordersWeight: number;
  items: ItemKey[];
  ids: Map<ItemKey, number>;
  itemOrders: Uint32Array;
  itemWeight: Float64Array;
  /** Pair key -> slot in the pair arrays. */
  slots: PairTable;
  pairA: Uint32Array;
  pairB: Uint32Array;
  pairOrders: Uint32Array;
  pairWeight: Float64Array;
  /**
   * The pair's weight with each order's share divided by √(items in it - 1): an order of ten
   * items says less about each of its 45 pairs than an order of two says about its one. What
   * the ranking's similarity reads; the evidence shown to merchants stays in whole orders.
   */
  pairShare: Float64Array;
  /** Slots freed by removals, reused before the arrays grow. */
  freeSlots: number[];
  slotsUsed: number;
}

export function createModel(options: CoPurchaseOptions = {}): CoPurchaseModel {
  return {
    keying: options.keying ?? "product",
    halfLifeDays: options.halfLifeDays ?? null,
    anchor: null,
    latestOrderAt: null,
    orders: 0,
    ordersWeight: 0,
    items: [],
    ids: new Map(),
    itemOrders: new Uint32Array(64),
    itemWeight: new Float64Array(64),
    slots: createPairTable(),
    pairA: new Uint32Array(256),
    pairB: new Uint32Array(256),
    pairOrders: new Uint32Array(256),
    pairWeight: new Float64Array(256),
    pairShare: new Float64Array(256),
    freeSlots: [],
    slotsUsed: 0,
  };
}

export function pairKey(a: number, b: number): number {
  return a < b ? (b * (b - 1)) / 2 + a : (a * (a - 1)) / 2 + b;
}

function grown<T extends Uint32Array | Float64Array>(array: T, needed: number): T {
  if (needed <= array.length) return array;
  const next = new (array.constructor as new (length: number) => T)(Math.max(needed, array.length * 2));
  next.set(array);
  return next;
}

export function internItem(model: CoPurchaseModel, key: ItemKey): number {
  let id = model.ids.get(key);
  if (id === undefined) {
    id = model.items.length;
    model.items.push(key);
    model.ids.set(key, id);
    model.itemOrders = grown(model.itemOrders, id + 1);
    model.itemWeight = grown(model.itemWeight, id + 1);
  }
  return id;
}

export function orderWeight(model: CoPurchaseModel, createdAt: number): number {
  if (model.halfLifeDays === null) return 1;
  model.anchor ??= createdAt;
  return 2 ** ((createdAt - model.anchor) / (model.halfLifeDays * DAY_MS));
}

/** Multiply stored weights by this to read them as of `now` (1 without decay). */
export function decayFactor(model: CoPurchaseModel, now: number): number {
  if (model.halfLifeDays === null || model.anchor === null) return 1;
  return 2 ** (-(now - model.anchor) / (model.halfLifeDays * DAY_MS));
}

function newSlot(model: CoPurchaseModel, a: number, b: number): number {
  const slot = model.freeSlots.pop() ?? model.slotsUsed++;
  if (slot >= model.pairA.length) {
    model.pairA = grown(model.pairA, slot + 1);
    model.pairB = grown(model.pairB, slot + 1);
    model.pairOrders = grown(model.pairOrders, slot + 1);
    model.pairWeight = grown(model.pairWeight, slot + 1);
    model.pairShare = grown(model.pairShare, slot + 1);
  }
  model.pairA[slot] = a;
  model.pairB[slot] = b;
  return slot;
}

/** An order's weight on each of its pairs' share (see pairShare). */
export function sizeShare(weight: number, items: number): number {
  return items > 1 ? weight / Math.sqrt(items - 1) : 0;
}

function addPair(model: CoPurchaseModel, a: number, b: number, weight: number, share: number): void {
  const key = pairKey(a, b);
  let slot = tableGet(model.slots, key);
  if (slot === undefined) {
    slot = newSlot(model, Math.min(a, b), Math.max(a, b));
    tableSet(model.slots, key, slot);
  }
  model.pairOrders[slot]! += 1;
  model.pairWeight[slot]! += weight;
  model.pairShare[slot]! += share;
}

function removePair(model: CoPurchaseModel, a: number, b: number, weight: number, share: number): void {
  const key = pairKey(a, b);
  const slot = tableGet(model.slots, key);
  if (slot === undefined || model.pairOrders[slot] === 0) throw new Error("Removing a pair that was never added");
  model.pairOrders[slot]! -= 1;
  // Exactly zero once the last order goes, so float residue never outlives the pair.
  model.pairWeight[slot] = model.pairOrders[slot] === 0 ? 0 : model.pairWeight[slot]! - weight;
  model.pairShare[slot] = model.pairOrders[slot] === 0 ? 0 : model.pairShare[slot]! - share;
  if (model.pairOrders[slot] === 0) {
    tableDelete(model.slots, key);
    model.freeSlots.push(slot);
  }
}

/** Folds in a basket of already interned, distinct ids bought at `createdAt`. */
export function addBasketIds(model: CoPurchaseModel, ids: readonly number[], createdAt: number): void {
  if (!ids.length) return;
  const weight = orderWeight(model, createdAt);
  const share = sizeShare(weight, ids.length);
  model.orders += 1;
  model.ordersWeight += weight;
  model.latestOrderAt = Math.max(model.latestOrderAt ?? createdAt, createdAt);
  for (let i = 0; i < ids.length; i++) {
    const a = ids[i]!;
    model.itemOrders[a]! += 1;
    model.itemWeight[a]! += weight;
    for (let j = i + 1; j < ids.length; j++) addPair(model, a, ids[j]!, weight, share);
  }
}

function removeBasketIds(model: CoPurchaseModel, ids: readonly number[], createdAt: number): void {
  if (!ids.length) return;
  const weight = orderWeight(model, createdAt);
  const share = sizeShare(weight, ids.length);
  if (model.orders === 0) throw new Error("Removing an order from an empty model");
  model.orders -= 1;
  model.ordersWeight = model.orders === 0 ? 0 : model.ordersWeight - weight;
  for (let i = 0; i < ids.length; i++) {
    const a = ids[i]!;
    if (model.itemOrders[a] === 0) throw new Error("Removing an item that was never added");
    model.itemOrders[a]! -= 1;
    model.itemWeight[a] = model.itemOrders[a] === 0 ? 0 : model.itemWeight[a]! - weight;
    for (let j = i + 1; j < ids.length; j++) removePair(model, a, ids[j]!, weight, share);
  }
}

/** Folds in one order (cancelled orders and refunded lines add nothing). */
export function addOrder(model: CoPurchaseModel, order: OrderInput): void {
  addBasketIds(model, basketOf(order, model.keying).map((key) => internItem(model, key)), order.createdAt);
}

/**
 * Takes back an order exactly as it was added (same lines, same refunds): for an order
 * cancelled after it was counted. The caller keeps the order's ingested shape (or refetches
 * it) and makes sure it is only removed once: the model does not remember order ids.
 */
export function removeOrder(model: CoPurchaseModel, order: OrderInput): void {
  const ids = basketOf(order, model.keying).map((key) => {
    const id = model.ids.get(key);
    if (id === undefined) throw new Error(`Removing an order with an unknown item ${String(key)}`);
    return id;
  });
  removeBasketIds(model, ids, order.createdAt);
}

/**
 * An order changed after it was counted (a line refunded, the order cancelled, lines
 * edited): `before` is what was folded in, `after` what the order is now.
 */
export function updateOrder(model: CoPurchaseModel, before: OrderInput, after: OrderInput): void {
  removeOrder(model, before);
  addOrder(model, after);
}

export function buildModel(orders: Iterable<OrderInput>, options: CoPurchaseOptions = {}): CoPurchaseModel {
  const model = createModel(options);
  const batch = createBatch();
  for (const order of orders) batchBasket(model, batch, basketOf(order, model.keying), order.createdAt);
  countPairs(model, batch);
  return model;
}

/** Builds from plain baskets (files without dates: every basket weighs the same). */
export function buildFromBaskets(baskets: Iterable<readonly ItemKey[]>, options: Omit<CoPurchaseOptions, "halfLifeDays"> = {}): CoPurchaseModel {
  const model = createModel({ ...options, halfLifeDays: null });
  const batch = createBatch();
  for (const basket of baskets) batchBasket(model, batch, basket, 0);
  countPairs(model, batch);
  return model;
}

/** Builds from dated baskets (the evaluation's training sets), in bulk like buildModel. */
export function buildFromDatedBaskets(baskets: Iterable<{ items: readonly ItemKey[]; at: number }>, options: CoPurchaseOptions = {}): CoPurchaseModel {
  const model = createModel(options);
  const batch = createBatch();
  for (const basket of baskets) batchBasket(model, batch, basket.items, basket.at);
  countPairs(model, batch);
  return model;
}

// A full build counts pairs in bulk rather than one hash lookup per pair occurrence: the
// baskets are kept as sorted id runs, then every pair (a, b) is tallied per a in a dense
// scratch row indexed by b, and each distinct pair enters the hash table once. Same
// figures as folding the orders in one by one (the unit tests compare both), about three
// times faster on a million orders.
interface Batch {
  ids: Uint32Array;
  /** Basket i is ids[starts[i] .. starts[i + 1]). */
  starts: number[];
  weights: number[];
  shares: number[];
  used: number;
}

function createBatch(): Batch {
  return { ids: new Uint32Array(1024), starts: [0], weights: [], shares: [], used: 0 };
}

/** Records one basket (duplicates allowed) and its item counts; empty baskets are no order. */
function batchBasket(model: CoPurchaseModel, batch: Batch, basket: readonly ItemKey[], createdAt: number): void {
  if (!basket.length) return;
  batch.ids = grown(batch.ids, batch.used + basket.length);
  const ids = batch.ids;
  const start = batch.used;
  let end = start;
  // Insertion sort with deduplication, in place: baskets are a handful of items, and this
  // allocates nothing per order (a million orders would otherwise mean millions of arrays).
  for (const key of basket) {
    const id = internItem(model, key);
    let at = end;
    while (at > start && ids[at - 1]! > id) at--;
    if (at > start && ids[at - 1] === id) continue;
    ids.copyWithin(at + 1, at, end);
    ids[at] = id;
    end++;
  }
  const weight = orderWeight(model, createdAt);
  model.orders += 1;
  model.ordersWeight += weight;
  model.latestOrderAt = Math.max(model.latestOrderAt ?? createdAt, createdAt);
  for (let at = start; at < end; at++) {
    model.itemOrders[ids[at]!]! += 1;
    model.itemWeight[ids[at]!]! += weight;
  }
  batch.used = end;
  batch.starts.push(end);
  batch.weights.push(weight);
  batch.shares.push(sizeShare(weight, end - start));
}

function countPairs(model: CoPurchaseModel, batch: Batch): void {
  const items = model.items.length;
  const { ids, starts, weights, shares } = batch;
  // Pass 1: how many pair occurrences each smaller id a has, to lay them out by a.
  const offsets = new Uint32Array(items + 1);
  for (let basket = 0; basket + 1 < starts.length; basket++) {
    for (let i = starts[basket]!; i < starts[basket + 1]!; i++) offsets[ids[i]! + 1]! += starts[basket + 1]! - i - 1;
  }
  for (let a = 0; a < items; a++) offsets[a + 1]! += offsets[a]!;
  // Pass 2: each occurrence's larger id b and its order's weight and share, grouped by a.
  // Without recency weighting every weight is 1, and the weight is the count.
  const weighted = model.halfLifeDays !== null;
  const partner = new Uint32Array(offsets[items]!);
  const partnerWeight = new Float64Array(weighted ? offsets[items]! : 0);
  const partnerShare = new Float64Array(offsets[items]!);
  const cursor = offsets.slice(0, items);
  for (let basket = 0; basket + 1 < starts.length; basket++) {
    const end = starts[basket + 1]!;
    for (let i = starts[basket]!; i < end; i++) {
      const a = ids[i]!;
      for (let j = i + 1; j < end; j++) {
        const at = cursor[a]!++;
        partner[at] = ids[j]!;
        partnerShare[at] = shares[basket]!;
        if (weighted) partnerWeight[at] = weights[basket]!;
      }
    }
  }
  // Pass 3: per a, tally its partners in a dense row, then store each distinct pair once.
  const rowOrders = new Uint32Array(items);
  const rowWeight = new Float64Array(items);
  const rowShare = new Float64Array(items);
  const touched: number[] = [];
  for (let a = 0; a < items; a++) {
    for (let at = offsets[a]!; at < offsets[a + 1]!; at++) {
      const b = partner[at]!;
      if (rowOrders[b] === 0) touched.push(b);
      rowOrders[b]! += 1;
      rowShare[b]! += partnerShare[at]!;
      if (weighted) rowWeight[b]! += partnerWeight[at]!;
    }
    for (const b of touched) {
      const slot = newSlot(model, a, b);
      model.pairOrders[slot] = rowOrders[b]!;
      model.pairWeight[slot] = weighted ? rowWeight[b]! : rowOrders[b]!;
      model.pairShare[slot] = rowShare[b]!;
      rowOrders[b] = 0;
      rowWeight[b] = 0;
      rowShare[b] = 0;
    }
    touched.length = 0;
  }
  // The hash table, sized once for every distinct pair (half full, as it keeps itself).
  model.slots = createPairTable(Math.max(8, Math.ceil(Math.log2(model.slotsUsed * 2 + 1))));
  for (let slot = 0; slot < model.slotsUsed; slot++) tableSet(model.slots, pairKey(model.pairA[slot]!, model.pairB[slot]!), slot);
}

export function itemId(model: CoPurchaseModel, key: ItemKey): number | undefined {
  return model.ids.get(key);
}

/** Orders (raw count) that held both items. */
export function ordersTogether(model: CoPurchaseModel, a: ItemKey, b: ItemKey): number {
  const ia = model.ids.get(a);
  const ib = model.ids.get(b);
  if (ia === undefined || ib === undefined || ia === ib) return 0;
  const slot = tableGet(model.slots, pairKey(ia, ib));
  return slot === undefined ? 0 : model.pairOrders[slot]!;
}

/** Calls back once per live pair (a < b) with its raw and weighted counts and its share. */
export function forEachPair(model: CoPurchaseModel, visit: (a: number, b: number, orders: number, weight: number, share: number) => void): void {
  // The slot arrays are dense; a freed slot (its pair's last order removed) counts zero.
  for (let slot = 0; slot < model.slotsUsed; slot++) {
    const orders = model.pairOrders[slot]!;
    if (orders > 0) visit(model.pairA[slot]!, model.pairB[slot]!, orders, model.pairWeight[slot]!, model.pairShare[slot]!);
  }
}

/** Pairs bought together at least once. */
export function pairCount(model: CoPurchaseModel): number {
  return model.slots.size;
}
