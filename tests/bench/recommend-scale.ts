// Child process of recommend.bench.ts, so each measurement has its own peak RSS:
//   node recommend-scale.ts build ORDERS PRODUCTS          the full model build, then updates
//   node recommend-scale.ts reference ORDERS PRODUCTS MIN  node-fpgrowth's frequent pairs beside ours
// Prints one JSON line of figures.
import { createRequire } from "node:module";
import { addOrder, buildFromBaskets, buildModel, forEachPair, pairCount, type CoPurchaseModel } from "../../app/recommend/copurchase.ts";
import { allComplements, indexNeighbours } from "../../app/recommend/complements.ts";
import { basketAt, generateShop, orderAt, type GeneratedShop } from "./generated-shop.ts";

interface FPGrowthModule {
  FPGrowth: new (support: number) => { exec(transactions: number[][]): Promise<{ items: number[]; support: number }[]> };
}

const UPDATES = 20_000;
const HALF_LIFE_DAYS = 180;

function* ordersOf(shop: GeneratedShop, count: number) {
  for (let i = 0; i < count; i++) yield orderAt(shop, i);
}

/** What "building the model" means here: counting every order, then every product's top 10. */
function fullBuild(shop: GeneratedShop, count: number): { model: CoPurchaseModel; seconds: number; complements: number } {
  const started = performance.now();
  const model = buildModel(ordersOf(shop, count), { halfLifeDays: HALF_LIFE_DAYS });
  const complements = allComplements(model, indexNeighbours(model), { limit: 10 }).size;
  return { model, seconds: (performance.now() - started) / 1000, complements };
}

function percentile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]!;
}

function build(orders: number, products: number) {
  const shop = generateShop(orders + UPDATES, products);
  const { model, seconds, complements } = fullBuild(shop, orders);
  const times = new Float64Array(UPDATES);
  for (let i = 0; i < UPDATES; i++) {
    const order = orderAt(shop, orders + i);
    const started = performance.now();
    addOrder(model, order);
    times[i] = performance.now() - started;
  }
  times.sort();
  return {
    orders, products, order_lines: shop.offsets[orders], pairs: pairCount(model), products_with_complements: complements,
    build_s: Number(seconds.toFixed(2)), peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    update_ms: Number(percentile(times, 0.5).toFixed(4)), update_p99_ms: Number(percentile(times, 0.99).toFixed(4)), updates_timed: UPDATES,
  };
}

function pairCounts(model: CoPurchaseModel, minSupport: number): Map<string, number> {
  const pairs = new Map<string, number>();
  forEachPair(model, (a, b, orders) => {
    if (orders < minSupport) return;
    const [x, y] = [model.items[a] as number, model.items[b] as number].sort((p, q) => p - q);
    pairs.set(`${x},${y}`, orders);
  });
  return pairs;
}

async function reference(orders: number, products: number, minSupport: number) {
  const shop = generateShop(orders, products);
  const baskets = Array.from({ length: orders }, (_, i) => basketAt(shop, i));
  // Ours on the very same basket arrays: counting, then every product's top 10.
  const ourStart = performance.now();
  const model = buildFromBaskets(baskets);
  allComplements(model, indexNeighbours(model), { limit: 10 });
  const ourSeconds = (performance.now() - ourStart) / 1000;
  const { FPGrowth } = createRequire(import.meta.url)("node-fpgrowth") as FPGrowthModule;
  const started = performance.now();
  // node-fpgrowth takes a share and rounds share·n up: this share gives exactly minSupport.
  const itemsets = await new FPGrowth((minSupport - 0.5) / orders).exec(baskets);
  const seconds = (performance.now() - started) / 1000;
  const theirs = new Map(itemsets.filter((s) => s.items.length === 2).map((s) => [[...s.items].sort((p, q) => p - q).join(","), s.support]));
  const expected = pairCounts(model, minSupport);
  let mismatches = 0;
  for (const [pair, count] of expected) if (theirs.get(pair) !== count) mismatches++;
  for (const pair of theirs.keys()) if (!expected.has(pair)) mismatches++;
  return {
    reference_orders: orders, reference_min_support: minSupport, reference_s: Number(seconds.toFixed(2)),
    reference_itemsets: itemsets.length, reference_pairs: theirs.size, uplift_pairs: expected.size,
    pair_mismatches: mismatches, pairs_agree: mismatches === 0, uplift_same_orders_s: Number(ourSeconds.toFixed(2)),
    reference_peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

const [mode, orders, products, minSupport] = process.argv.slice(2);
const figures = mode === "build" ? build(Number(orders), Number(products)) : await reference(Number(orders), Number(products), Number(minSupport));
console.log(JSON.stringify(figures));
