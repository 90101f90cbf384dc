// Issue 4's and 15's figures. recommend_eval: leave-one-out basket completion (HR@10) on the
// real grocery baskets, a real online shop's orders (tests/bench/data/online-retail: two
// items hidden per order, its orders being large), the demo shop's orders and a generated
// 100,000-order, 20,000-product shop (the last three with time splits), Uplift beside five baselines (best sellers, co-occurrence, rules,
// item kNN, EASE), with each set's wall time; progress goes to stderr.
// recommend_scale: a generated 1M-order, 50k-product shop built in a child process (its
// own peak RSS), and node-fpgrowth's frequent pairs on the same baskets as a reference.
// `npm run bench -- recommend --baskets FILE` evaluates FILE instead and records nothing.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseBaskets } from "../../app/recommend/baskets.ts";
import { basketsFromOrders, evaluateBaskets, pairedMargin, type DatedBasket, type Evaluation, type EvaluationOptions, type Metrics } from "../../app/recommend/evaluate.ts";
import { openStore } from "../devshop/store.ts";
import { seedShop } from "../devshop/seed.ts";
import type { Figures } from "../../scripts/bench.ts";
import { generateShop, orderAt } from "./generated-shop.ts";

export const sections = true;

const GROCERIES = path.join(path.dirname(fileURLToPath(import.meta.url)), "../../../shared/datasets/groceries.csv");
const ONLINE_RETAIL = fileURLToPath(new URL("./data/online-retail/baskets.tsv.gz", import.meta.url));
/** Items hidden per held-out order of the online shop (26 on average: all would take 13× longer). */
const ONLINE_RETAIL_HIDDEN = 2;
const SCALE = { orders: 1_000_000, products: 50_000 };
/** The evaluation's scale test: the class of a large supermarket's 88,162 baskets. */
const GENERATED = { orders: 100_000, products: 20_000 };
/** node-fpgrowth's minimum support (orders) and the largest first orders tried, largest first. */
const REFERENCE = { minSupport: 20, orders: [1_000_000, 300_000, 100_000], timeoutMs: 240_000 };
const round = (x: number) => Number(x.toFixed(4));

const METHODS = ["uplift", "popular", "cooccur", "rules", "knn", "ease"] as const;

function figuresOf(evaluation: Evaluation): Figures {
  const metrics: Record<(typeof METHODS)[number], Metrics> = evaluation;
  const figures: Figures = {};
  for (const key of ["hr10", "hr5", "ndcg10"] as const) for (const method of METHODS) figures[`${method}_${key}`] = round(metrics[method][key]);
  for (const method of METHODS) figures[method === "uplift" ? "coverage" : `${method}_coverage`] = round(metrics[method].coverage);
  // Lists whose 10th and 11th candidates scored the same: the lower item id (first seen) went in.
  for (const method of METHODS) figures[`${method}_ties`] = round(metrics[method].ties);
  const { uplift } = evaluation;
  const best = Math.max(...METHODS.filter((m) => m !== "uplift").map((m) => metrics[m].hr10));
  // Against EASE and kNN query by query: a margin within two standard errors is noise.
  const versus = (other: Metrics) => pairedMargin(uplift, other);
  return {
    ...figures,
    uplift_beats_all: uplift.hr10 > best, uplift_margin_hr10: round(uplift.hr10 - best),
    uplift_minus_ease_se: round(versus(evaluation.ease).standardError), uplift_minus_knn_se: round(versus(evaluation.knn).standardError),
    train_baskets: evaluation.train, test_baskets: evaluation.test, queries: evaluation.queries, catalogue: evaluation.catalogue,
    seconds: Number(evaluation.seconds.toFixed(1)),
    blend: { ...evaluation.blend }, ease: { ...evaluation.easeFit },
    tie_break: "lower item id (order of first appearance in training)",
  };
}

/**
 * One set's figures. The machine is shared: beside the wall time, the CPU time this process
 * spent (the evaluation runs on one thread, so on an idle machine the two agree) and the
 * load average, so a slow run can be told from slow code.
 */
function evaluate(name: string, baskets: Parameters<typeof evaluateBaskets>[0], options: EvaluationOptions = {}): Figures {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const progress = (stage: string) => console.error(`  ${name} ${((performance.now() - started) / 1000).toFixed(1)} s: ${stage}`);
  const figures = figuresOf(evaluateBaskets(baskets, { ...options, progress }));
  const used = process.cpuUsage(cpu);
  return { ...figures, cpu_seconds: Number(((used.user + used.system) / 1e6).toFixed(1)), load_average: Number(os.loadavg()[0]!.toFixed(1)) };
}

function demoOrders() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "uplift-bench-recommend-"));
  try {
    const store = openStore(path.join(dir, "devshop.sqlite"));
    seedShop(store, { shop: "uplift-demo.myshopify.com" });
    const orders = [...store.orders.values()].map((o) => ({
      id: o.id, customerId: o.customerId, createdAt: Date.parse(o.createdAt), cancelled: o.cancelledAt !== null,
      lines: o.lines.map((l) => ({ productId: l.productId, variantId: l.variantId, quantity: l.quantity, refundedQuantity: l.quantity - l.currentQuantity })),
    }));
    store.close();
    return orders;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function evaluateFile(file: string): Figures {
  return evaluate(path.basename(file), parseBaskets(readFileSync(file, "utf8")).map((items) => ({ items, at: 0 })));
}

/** One order per line: its date, a tab, its product codes separated by commas. */
function onlineRetail(): DatedBasket[] {
  return gunzipSync(readFileSync(ONLINE_RETAIL)).toString("utf8").split("\n").filter(Boolean).map((line) => {
    const [date, items] = line.split("\t");
    return { at: Date.parse(date!), items: items!.split(",") };
  });
}

function generatedOrders() {
  const shop = generateShop(GENERATED.orders, GENERATED.products);
  return Array.from({ length: GENERATED.orders }, (_, i) => orderAt(shop, i));
}

function child(args: (string | number)[], timeoutMs?: number): Figures {
  const script = fileURLToPath(new URL("./recommend-scale.ts", import.meta.url));
  const out = execFileSync(process.execPath, ["--max-old-space-size=4096", script, ...args.map(String)], { encoding: "utf8", timeout: timeoutMs, stdio: ["ignore", "pipe", "ignore"] });
  return JSON.parse(out.trim().split("\n").at(-1)!) as Figures;
}

/** node-fpgrowth on the largest first-N orders it finishes within the time limit. */
function referenceRun(): Figures {
  const tried: string[] = [];
  for (const orders of REFERENCE.orders) {
    try {
      return { ...child(["reference", orders, SCALE.products, REFERENCE.minSupport], REFERENCE.timeoutMs), reference_not_finished: tried.join(", ") || "none" };
    } catch {
      tried.push(`${orders} orders within ${REFERENCE.timeoutMs / 1000} s`);
    }
  }
  return { reference_not_finished: tried.join(", ") };
}

function scale(): Figures {
  const build = child(["build", SCALE.orders, SCALE.products]);
  const reference = referenceRun();
  // The reference is there to check our counts: a disagreement is a bug, not a figure.
  if (reference.pairs_agree === false) throw new Error(`node-fpgrowth and Uplift disagree on ${String(reference.pair_mismatches)} pair counts`);
  const speedup = typeof reference.reference_s === "number" && typeof reference.uplift_same_orders_s === "number"
    ? Number((reference.reference_s / reference.uplift_same_orders_s).toFixed(1)) : "n/a";
  return { ...build, ...reference, reference_speedup: speedup };
}

export async function run(): Promise<Record<string, Figures> | undefined> {
  const at = process.argv.indexOf("--baskets");
  if (at >= 0) {
    const file = process.argv[at + 1];
    if (!file) throw new Error("--baskets needs a file");
    console.log(JSON.stringify(evaluateFile(file), null, 2));
    return undefined;
  }
  const groceries = evaluateFile(GROCERIES);
  const online_retail = { ...evaluate("online_retail", onlineRetail(), { hiddenPerBasket: ONLINE_RETAIL_HIDDEN }), hidden_per_basket: ONLINE_RETAIL_HIDDEN };
  const demo = evaluate("demo", basketsFromOrders(demoOrders()));
  const generated = evaluate("generated", basketsFromOrders(generatedOrders()));
  return { recommend_eval: { groceries, online_retail, demo, generated }, recommend_scale: scale() };
}
