// Issue 4's figures. recommend_eval: leave-one-out basket completion on the real grocery
// baskets and on the demo shop's orders (time split), Uplift beside three baselines.
// recommend_scale: a generated 1M-order, 50k-product shop built in a child process (its
// own peak RSS), and node-fpgrowth's frequent pairs on the same baskets as a reference.
// `npm run bench -- recommend --baskets FILE` evaluates FILE instead and records nothing.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseBaskets } from "../../app/recommend/baskets.ts";
import { basketsFromOrders, evaluateBaskets, type Evaluation } from "../../app/recommend/evaluate.ts";
import { openStore } from "../devshop/store.ts";
import { seedShop } from "../devshop/seed.ts";
import type { Figures } from "../../scripts/bench.ts";

export const sections = true;

const GROCERIES = path.join(path.dirname(fileURLToPath(import.meta.url)), "../../../shared/datasets/groceries.csv");
const SCALE = { orders: 1_000_000, products: 50_000 };
/** node-fpgrowth's minimum support (orders) and the largest first orders tried, largest first. */
const REFERENCE = { minSupport: 20, orders: [1_000_000, 300_000, 100_000], timeoutMs: 240_000 };
const round = (x: number) => Number(x.toFixed(4));

function figuresOf(evaluation: Evaluation): Figures {
  const { uplift, popular, cooccur, rules } = evaluation;
  return {
    uplift_hr10: round(uplift.hr10), popular_hr10: round(popular.hr10), cooccur_hr10: round(cooccur.hr10), rules_hr10: round(rules.hr10),
    uplift_hr5: round(uplift.hr5), popular_hr5: round(popular.hr5), cooccur_hr5: round(cooccur.hr5), rules_hr5: round(rules.hr5),
    uplift_ndcg10: round(uplift.ndcg10), popular_ndcg10: round(popular.ndcg10), cooccur_ndcg10: round(cooccur.ndcg10), rules_ndcg10: round(rules.ndcg10),
    coverage: round(uplift.coverage), popular_coverage: round(popular.coverage), cooccur_coverage: round(cooccur.coverage), rules_coverage: round(rules.coverage),
    uplift_beats_all: uplift.hr10 > Math.max(popular.hr10, cooccur.hr10, rules.hr10),
    train_baskets: evaluation.train, test_baskets: evaluation.test, queries: evaluation.queries, catalogue: evaluation.catalogue,
    tuning: { ...evaluation.tuning },
  };
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
  return figuresOf(evaluateBaskets(parseBaskets(readFileSync(file, "utf8")).map((items) => ({ items, at: 0 }))));
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
  const demo = figuresOf(evaluateBaskets(basketsFromOrders(demoOrders())));
  return { recommend_eval: { groceries: evaluateFile(GROCERIES), demo }, recommend_scale: scale() };
}
