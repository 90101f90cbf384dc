// The two bundle Functions on a big shop, under QuickJS (built as Shopify CLI builds a JS
// Function): 1,000 bundles of each Function's kinds over 5,000 products, each product carrying
// the rules it takes part in, and a 200-line cart holding complete bundles, mix-and-match
// choices, parents added directly, tiers and gifts beside unrelated products.
//
// Figures per Function: `ms_quickjs` (median of RUNS fresh runs) beside `ms_quickjs_noop` (a
// Function that reads the same input and returns nothing), the QuickJS interrupt-handler
// count (`instructions`, a proxy for interpreted work, see tests/devshop/functions/quickjs.ts)
// beside the no-op's, and the input's size against Shopify's 64,000 bytes. Budget: ratio <= 3
// and the input under the limit. When a 200-line input is over the limit, `max_lines_under_limit`
// says how many of the same cart's lines fit.
import os from "node:os";
import path from "node:path";
import type { BundleRule, DiscountRule, DiscountSettings, ParentBundle, RuleOff } from "../../app/offers/function-config.ts";
import { mulberry32 } from "../devshop/random.ts";
import { loadFunction, type FunctionRun } from "../devshop/functions/quickjs.ts";
import { loadFunctionSchema, validateOutput } from "../devshop/functions/schema.ts";
import { discountInput, discountLine, transformInput, transformLine } from "../unit/functions/carts.ts";

export const sections = true;

const ROOT = path.resolve(import.meta.dirname, "../..");
const PRODUCTS = 5_000;
const BUNDLES = 1_000;
const CART_LINES = 200;
const RUNS = 51;
const INPUT_LIMIT = 64_000;
const CURRENCY = "EUR";

// Shopify's ids are 13 digits today; the input's size depends on them.
const productNumber = (n: number) => 8_100_000_000_000 + n;
const variantNumber = (n: number, v: number) => 45_000_000_000_000 + n * 10 + v;
const pgid = (n: number) => `gid://shopify/Product/${productNumber(n)}`;
const vgid = (n: number, v: number) => `gid://shopify/ProductVariant/${variantNumber(n, v)}`;

interface Shop { variants: number[]; price: (n: number, v: number) => number }

function shop(rand: () => number): Shop {
  const variants = Array.from({ length: PRODUCTS }, () => 1 + Math.floor(rand() * 3));
  const base = Array.from({ length: PRODUCTS }, () => 500 + Math.floor(rand() * 14_500));
  return { variants, price: (n, v) => base[n]! + v * 500 };
}

function off(rand: () => number): RuleOff {
  const kind = Math.floor(rand() * 3);
  if (kind === 0) return { bp: 500 + 500 * Math.floor(rand() * 6) };
  if (kind === 1) return { amt: { EUR: 500 + 100 * Math.floor(rand() * 20), USD: 550 + 100 * Math.floor(rand() * 20) } };
  return { fix: { EUR: 4_900 + 1_000 * Math.floor(rand() * 10), USD: 5_400 + 1_000 * Math.floor(rand() * 10) } };
}

const distinct = (rand: () => number, count: number) => {
  const out = new Set<number>();
  while (out.size < count) out.add(Math.floor(rand() * PRODUCTS));
  return [...out];
};

/** A cart of up to CART_LINES distinct lines (variant + property), as Shopify keeps them. */
class Cart<L> {
  lines: L[] = [];
  private keys = new Set<string>();
  add(key: string, line: () => L): boolean {
    if (this.lines.length >= CART_LINES || this.keys.has(key)) return false;
    this.keys.add(key);
    this.lines.push(line());
    return true;
  }
}

export function transformCase() {
  const rand = mulberry32(7);
  const { variants, price } = shop(rand);
  const rules: BundleRule[] = [];
  const byProduct = new Map<number, BundleRule[]>();
  const itemsOf = new Map<string, number[]>();
  for (let i = 0; i < BUNDLES; i++) {
    const common = { id: `${1_000_000 + i}`, r: i, off: off(rand), pv: `gid://shopify/ProductVariant/${46_000_000_000_000 + i}`, title: `Bundle ${i}`, img: `https://cdn.shopify.com/s/files/1/0712/3456/7890/files/bundle-${i}.jpg` };
    const products = distinct(rand, i % 5 === 4 ? 4 + Math.floor(rand() * 5) : 2 + Math.floor(rand() * 2));
    const rule: BundleRule = i % 5 === 4
      ? { ...common, k: "mix", min: 2, max: 3 + Math.floor(rand() * 3), img: null }
      : { ...common, k: "fixed", items: products.map((n) => ({ p: pgid(n), v: null, q: rand() < 0.15 ? 2 : 1 })) };
    rules.push(rule);
    itemsOf.set(rule.id, products);
    for (const n of products) byProduct.set(n, [...(byProduct.get(n) ?? []), rule]);
  }
  const cart = new Cart<ReturnType<typeof transformLine>>();
  let lineNo = 0;
  const add = (n: number, quantity: number, offer?: string, bundle?: ParentBundle, variant?: number) => {
    const v = variant ?? Math.floor(rand() * variants[n]!);
    cart.add(`${n}/${v}/${offer ?? ""}`, () => transformLine({
      line: ++lineNo, product: productNumber(n), variant: variantNumber(n, v), quantity, unit: price(n, v), currency: CURRENCY, offer,
      bundles: byProduct.has(n) ? { v: 1, rules: byProduct.get(n)! } : undefined, bundle,
    }));
  };
  // Complete fixed bundles, half added from the product page (with the property).
  for (const rule of rules.filter((r) => r.k === "fixed").slice(0, 25)) {
    const withProperty = rand() < 0.5;
    rule.items.forEach((item, i) => add(itemsOf.get(rule.id)![i]!, item.q, withProperty ? rule.id : undefined));
  }
  // Mix-and-match choices: three of the pool, chosen on the page.
  for (const rule of rules.filter((r) => r.k === "mix").slice(0, 6)) for (const n of itemsOf.get(rule.id)!.slice(0, 3)) add(n, 1, rule.id);
  // Parents added directly (the variant metafield), and a few lines with a forged property.
  for (let i = 0; i < 5; i++) {
    const rule = rules[i * 5]! as Extract<BundleRule, { k: "fixed" }>;
    const parent: ParentBundle = { v: 1, id: rule.id, items: itemsOf.get(rule.id)!.map((n) => ({ v: vgid(n, 0), q: 1, price: { EUR: price(n, 0) - 100, USD: price(n, 0) } })) };
    add(PRODUCTS - 1 - i, 1, undefined, parent, 0);
  }
  for (let i = 0; i < 5; i++) add(Math.floor(rand() * PRODUCTS), 1, rules[4 + i * 5]!.id);
  while (cart.lines.length < CART_LINES) add(Math.floor(rand() * PRODUCTS), 1 + Math.floor(rand() * 3));
  return { build: (n: number) => transformInput(cart.lines.slice(0, n)) };
}

export function discountCase() {
  const rand = mulberry32(11);
  const { variants, price } = shop(rand);
  const byProduct = new Map<number, DiscountRule[]>();
  const fbts: { rule: DiscountRule; products: number[] }[] = [];
  const tiered: number[] = [];
  const gifts: number[] = [];
  for (let i = 0; i < BUNDLES; i++) {
    const common = { id: `${2_000_000 + i}`, r: i, ...(i % 10 === 9 ? { aud: { inc: ["vip"], exc: [] } } : {}) };
    const kind = i % 5;
    let products: number[];
    let rule: DiscountRule;
    if (kind < 2) {
      products = distinct(rand, 1 + Math.floor(rand() * 3));
      rule = { ...common, k: "tiers", tiers: [{ min: 2, off: { bp: 500 } }, { min: 4, off: { bp: 1000 } }, ...(rand() < 0.5 ? [{ min: 10, off: { amt: { EUR: 300, USD: 330 } } }] : [])] };
      tiered.push(...products);
    } else if (kind < 4) {
      products = distinct(rand, 2 + Math.floor(rand() * 2));
      rule = { ...common, k: "fbt", items: products.map((n) => ({ p: pgid(n), v: null, q: 1 })), off: off(rand) };
      fbts.push({ rule, products });
    } else {
      products = distinct(rand, 1);
      rule = { ...common, k: "gift", gift: { p: pgid(products[0]!), v: null, q: 1 }, min: rand() < 0.7 ? { EUR: 5_000 + 1_000 * Math.floor(rand() * 10), USD: 5_500 + 1_000 * Math.floor(rand() * 10) } : null, trig: distinct(rand, 1 + Math.floor(rand() * 2)).map(pgid) };
      gifts.push(products[0]!);
    }
    for (const n of products) byProduct.set(n, [...(byProduct.get(n) ?? []), rule]);
  }
  const cart = new Cart<ReturnType<typeof discountLine>>();
  let lineNo = 0;
  const add = (n: number, quantity: number) => {
    const v = Math.floor(rand() * variants[n]!);
    cart.add(`${n}/${v}`, () => discountLine({
      line: ++lineNo, product: productNumber(n), variant: variantNumber(n, v), quantity, unit: price(n, v), currency: CURRENCY,
      discounts: byProduct.has(n) ? { v: 1, rules: byProduct.get(n)! } : undefined,
    }));
  };
  for (const { products } of fbts.slice(0, 25)) for (const n of products) add(n, 1);
  for (const n of tiered.slice(0, 30)) add(n, 1 + Math.floor(rand() * 5));
  for (const n of gifts.slice(0, 10)) add(n, 1);
  while (cart.lines.length < CART_LINES) add(Math.floor(rand() * PRODUCTS), 1 + Math.floor(rand() * 2));
  const settings: DiscountSettings = {
    v: 1, tags: ["vip", "wholesale"],
    messages: { en: { tiers: "Volume discount", fbt: "Bundle discount", gift: "Free gift" }, fr: { tiers: "Remise sur quantité", fbt: "Remise lot", gift: "Cadeau offert" } },
  };
  return { build: (n: number) => discountInput(cart.lines.slice(0, n), { currency: CURRENCY, customerTags: ["vip"], language: "FR", settings }) };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};
/** The input with every metafield (`j: jsonValue` on the lines, `jsonValue` on the discount's settings) set to null. */
const withoutMetafields = (input: unknown): unknown => JSON.parse(JSON.stringify(input, (key, value) => (value && typeof value === "object" && ("j" in value || "jsonValue" in value) ? null : value)));
const least = (values: number[]) => Math.min(...values);
const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));
const round = (ms: number) => Math.round(ms * 100) / 100;

async function measure(dir: string, api: string, outputType: string, build: (lines: number) => unknown) {
  const fn = await loadFunction(path.join(ROOT, "extensions", dir));
  const noop = await loadFunction(path.join(ROOT, "extensions", dir), { entry: path.join(ROOT, "tests", "bench", "functions-noop", "run.ts") });
  const input = build(CART_LINES);
  const first = fn.run(input);
  const errors = validateOutput(loadFunctionSchema(api), outputType, first.output);
  if (errors.length) throw new Error(`${dir}: invalid output: ${JSON.stringify(errors.slice(0, 3))}`);
  // Alternating runs, so a busy moment on the shared machine falls on both alike.
  const timed = (value: unknown) => {
    fn.run(value);
    noop.run(value); // warm the engine's module and the host's JIT
    const runs: { fn: FunctionRun; noop: FunctionRun }[] = [];
    for (let i = 0; i < RUNS; i++) runs.push({ fn: fn.run(value), noop: noop.run(value) });
    return runs;
  };
  const runs = timed(input);
  const ms = median(runs.map((r) => r.fn.ms));
  const noopMs = median(runs.map((r) => r.noop.ms));
  const runMs = median(runs.map((r) => r.fn.runMs));
  const noopRunMs = median(runs.map((r) => r.noop.runMs));
  let fits = CART_LINES;
  while (fits > 0 && bytes(build(fits)) > INPUT_LIMIT) fits--;
  // The largest input Shopify would accept from the same cart, timed the same way.
  const atLimit = timed(build(fits));
  const limitMs = median(atLimit.map((r) => r.fn.ms));
  const limitNoopMs = median(atLimit.map((r) => r.noop.ms));
  const limitRunMs = median(atLimit.map((r) => r.fn.runMs));
  const limitNoopRunMs = median(atLimit.map((r) => r.noop.runMs));
  const operations = (first.output as { operations: unknown[] }).operations;
  return {
    bundles: BUNDLES, products: PRODUCTS, cart_lines: CART_LINES, runs: RUNS,
    ms_quickjs: round(ms), ms_quickjs_noop: round(noopMs), ratio: round(ms / noopMs),
    // Without loading the script, which Javy compiles ahead of time: what Shopify's runs pay.
    ms_quickjs_run: round(runMs), ms_quickjs_noop_run: round(noopRunMs), ratio_run: round(runMs / noopRunMs),
    // The least disturbed run of each: on a machine shared with other work the medians move
    // with its load, the fastest runs much less.
    ms_quickjs_min: round(least(runs.map((r) => r.fn.ms))), ms_quickjs_noop_min: round(least(runs.map((r) => r.noop.ms))),
    ratio_min: round(least(runs.map((r) => r.fn.ms)) / least(runs.map((r) => r.noop.ms))),
    ratio_run_min: round(least(runs.map((r) => r.fn.runMs)) / least(runs.map((r) => r.noop.runMs))),
    instructions: median(runs.map((r) => r.fn.instructions)), instructions_noop: median(runs.map((r) => r.noop.instructions)),
    input_bytes: bytes(input), input_limit: INPUT_LIMIT, input_under_limit: bytes(input) <= INPUT_LIMIT,
    max_lines_under_limit: fits,
    at_max_lines: { lines: fits, input_bytes: bytes(build(fits)), ms_quickjs: round(limitMs), ms_quickjs_noop: round(limitNoopMs), ratio: round(limitMs / limitNoopMs), ratio_run: round(limitRunMs / limitNoopRunMs),
      ratio_min: round(least(atLimit.map((r) => r.fn.ms)) / least(atLimit.map((r) => r.noop.ms))) },
    // The same 200 lines with every metafield left out: what the lines cost by themselves.
    input_bytes_without_metafields: bytes(withoutMetafields(input)),
    operations: operations.length,
    ...(dir === "bundle-discount" ? { candidates: (operations[0] as { productDiscountsAdd?: { candidates: unknown[] } } | undefined)?.productDiscountsAdd?.candidates.length ?? 0 } : {}),
    script_bytes: Buffer.byteLength(fn.script),
    // The machine is shared: how busy it was says how far these figures can be compared.
    load_average_1m: Math.round(os.loadavg()[0]! * 10) / 10,
  };
}

export async function run() {
  const transform = transformCase();
  const discount = discountCase();
  return {
    cart_transform: await measure("bundle-transform", "cart_transform", "CartTransformRunResult", transform.build),
    discount_function: await measure("bundle-discount", "discount", "CartLinesDiscountsGenerateRunResult", discount.build),
  };
}
