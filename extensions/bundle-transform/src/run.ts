// Cart Transform (cart.transform.run): fixed and mix-and-match bundles priced at checkout as the
// product page showed them. Pure: the cart and the metafields in, operations out.
//
// 1. A bundle parent added directly (its variant carries `bundle`, a ParentBundle) is expanded
//    into its components, each at its fixed unit price in the cart's currency.
// 2. The bundle rules the lines' products carry (`bundles`, ProductBundles) are taken in rank
//    order; each forms as many complete sets as the cart's unused units allow and merges them
//    into the rule's parent variant, at the price the page showed: the sets' regular total less
//    the rule's discount, rounded as app/offers/pricing.ts rounds (down to a whole minor unit,
//    never below zero).
//
// Each cart line takes part in at most one operation: Shopify runs only a subset of operations
// that collide on a line, so a rule that uses some of a line's units keeps the line (its other
// units stay at their regular price unless they complete further sets of the same rule).
import { fromMinorUnits, toMinorUnits } from "../../../app/catalog/money.ts";
import type { BundleRule, ParentBundle, ProductBundles, RuleItem, RuleOff } from "../../../app/offers/function-config.ts";
import type { CartTransformRunResult, Operation, RunInput } from "../generated/api.ts";

// The input's keys are run.graphql's one-letter aliases (Shopify counts the input's bytes, keys
// included, and every line repeats them): i id, q quantity, o the `_uplift_offer` attribute
// (v value), c cost (u amountPerQuantity: a amount, k currencyCode), m merchandise (i variant
// id, b the variant's `bundle` metafield, p product: i id, r its `bundles` metafield; j
// jsonValue). They are read into names here, at the edge, and nowhere else.
type Line = RunInput["cart"]["lines"][number];

interface Unitised {
  id: string;
  productId: string;
  variantId: string;
  /** The line's `_uplift_offer` property, as the browser sent it (trusted for nothing but order). */
  offer: string | null;
  /** Unit price, minor units of the cart's currency. */
  unit: number;
  /** Units not yet used by a rule. */
  free: number;
  /** The rule whose operation holds this line, if any. */
  heldBy: string | null;
  /** Rules the line's own product lists (from its metafield). */
  rules: BundleRule[];
}

const NO_OPERATIONS: CartTransformRunResult = { operations: [] };

export function run(input: RunInput): CartTransformRunResult {
  const lines = input.cart.lines;
  if (!lines.length) return NO_OPERATIONS;
  const currency = lines[0]!.c.u.k as string;
  const operations: Operation[] = [];
  const pool: Unitised[] = [];

  for (const line of lines) {
    const variant = line.m;
    if (!("p" in variant)) continue; // not a ProductVariant (a custom product): nothing to bundle
    const parent = parentBundle(variant.b?.j);
    if (parent) {
      const expand = expandParent(line, parent, currency);
      if (expand) operations.push({ lineExpand: expand });
      continue; // a parent line is never a component of another bundle
    }
    pool.push({
      id: line.i,
      productId: variant.p.i,
      variantId: variant.i,
      offer: line.o?.v ?? null,
      unit: toMinorUnits(String(line.c.u.a), currency),
      free: line.q,
      heldBy: null,
      rules: productBundles(variant.p.r?.j),
    });
  }

  // Lines by product and by property, so each rule looks only at the lines it could use.
  const byProduct = new Map<string, Unitised[]>();
  const byOffer = new Map<string, Unitised[]>();
  for (const line of pool) {
    push(byProduct, line.productId, line);
    if (line.offer !== null) push(byOffer, line.offer, line);
  }
  for (const rule of rulesByRank(pool)) {
    const merge = rule.k === "fixed" ? mergeFixed(rule, byProduct, currency) : mergeMix(rule, byOffer.get(rule.id) ?? [], currency);
    if (merge) operations.push({ linesMerge: merge });
  }
  return { operations };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Every rule the lines' products list, once each, best rank first (ties by id, so the order never depends on the cart's). */
function rulesByRank(pool: Unitised[]): BundleRule[] {
  const byId = new Map<string, BundleRule>();
  for (const line of pool) for (const rule of line.rules) if (!byId.has(rule.id)) byId.set(rule.id, rule);
  return [...byId.values()].sort((a, b) => a.r - b.r || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function expandParent(line: Line, parent: ParentBundle, currency: string) {
  const items = parent.items.map((item) => ({ item, price: item.price[currency] }));
  // A currency the bundle has no prices in (or not a whole number of minor units in it): the
  // rule does not apply, the parent stays as it is.
  if (items.some((i) => !Number.isInteger(i.price) || i.price! < 0)) return null;
  return {
    cartLineId: line.i,
    expandedCartItems: items.map(({ item, price }) => ({
      merchandiseId: item.v,
      quantity: item.q,
      price: { adjustment: { fixedPricePerUnit: { amount: fromMinorUnits(price!, currency) } } },
    })),
  };
}

/** Units taken from lines for one rule's sets, before they are committed. */
type Take = Map<Unitised, number>;

const usable = (line: Unitised, rule: BundleRule) => line.free > 0 && (line.heldBy === null || line.heldBy === rule.id);

function mergeFixed(rule: Extract<BundleRule, { k: "fixed" }>, byProduct: Map<string, Unitised[]>, currency: string) {
  const taken: Take = new Map();
  const sets: number[] = [];
  // Most rules a line brings lack another of their items in the cart: settle those at once.
  if (rule.items.some((item) => !byProduct.has(item.p))) return null;
  for (;;) {
    const set = takeSet(rule.items, rule.id, byProduct, rule, taken);
    if (!set) break;
    const regular = [...set].reduce((sum, [line, n]) => sum + line.unit * n, 0);
    const off = discountOn(regular, rule.off, currency);
    if (off === null) return null; // no amount in this currency: the rule does not apply
    for (const [line, n] of set) taken.set(line, (taken.get(line) ?? 0) + n);
    sets.push(regular - off);
  }
  return sets.length ? commit(rule, taken, sets) : null;
}

/** One set of `items` from the units left, lines carrying the rule's id first; null when the cart cannot complete it. */
function takeSet(items: RuleItem[], ruleId: string, byProduct: Map<string, Unitised[]>, rule: BundleRule, already: Take): Take | null {
  const set: Take = new Map();
  const left = (line: Unitised) => line.free - (already.get(line) ?? 0) - (set.get(line) ?? 0);
  for (const item of items) {
    let need = item.q;
    const matching = (byProduct.get(item.p) ?? []).filter((l) => usable(l, rule) && (item.v === null || l.variantId === item.v));
    const ordered = [...matching.filter((l) => l.offer === ruleId), ...matching.filter((l) => l.offer !== ruleId)];
    for (const line of ordered) {
      const n = Math.min(need, left(line));
      if (n <= 0) continue;
      set.set(line, (set.get(line) ?? 0) + n);
      need -= n;
      if (!need) break;
    }
    if (need > 0) return null;
  }
  return set;
}

function mergeMix(rule: Extract<BundleRule, { k: "mix" }>, marked: Unitised[], currency: string) {
  if (rule.min < 1 || rule.max < rule.min) return null;
  // The shopper's choice (the property) and the merchant's pool (the product lists this rule) must agree.
  const chosen = marked.filter((l) => usable(l, rule) && l.offer === rule.id && l.rules.some((r) => r.id === rule.id));
  const units: Unitised[] = chosen.flatMap((line) => Array<Unitised>(line.free).fill(line));
  const taken: Take = new Map();
  const sets: number[] = [];
  // As many sets as the units make, each as large as allowed; fewer than `min` left over stay as they are.
  for (let at = 0; units.length - at >= rule.min; ) {
    const size = Math.min(rule.max, units.length - at);
    const set = units.slice(at, at + size);
    at += size;
    const regular = set.reduce((sum, line) => sum + line.unit, 0);
    const off = discountOn(regular, rule.off, currency);
    if (off === null) return null;
    for (const line of set) taken.set(line, (taken.get(line) ?? 0) + 1);
    sets.push(regular - off);
  }
  return sets.length ? commit(rule, taken, sets) : null;
}

/** Marks the units used and builds the merge: every set of the rule in one merged line. */
function commit(rule: Extract<BundleRule, { k: "fixed" | "mix" }>, taken: Take, setPrices: number[]) {
  let regular = 0;
  const cartLines = [];
  for (const [line, n] of taken) {
    line.free -= n;
    line.heldBy = rule.id;
    regular += line.unit * n;
    cartLines.push({ cartLineId: line.id, quantity: n });
  }
  const price = setPrices.reduce((a, b) => a + b, 0);
  const percent = percentageDecrease(regular, price);
  return {
    parentVariantId: rule.pv,
    title: rule.title,
    cartLines,
    ...(rule.img ? { image: { url: rule.img } } : {}),
    ...(percent !== null ? { price: { percentageDecrease: { value: percent } } } : {}),
    attributes: [{ key: "_uplift_offer", value: rule.id }],
  };
}

/** The discount on a set, as app/offers/pricing.ts computes it; null when the rule has no amount in the currency. */
export function discountOn(regular: number, off: RuleOff, currency: string): number | null {
  // Clamped and floored, so a hand-edited metafield can neither raise the discount nor make the
  // Function throw (which would drop every bundle in the cart).
  if ("bp" in off) return Math.floor((regular * Math.min(Math.max(off.bp, 0), 10_000)) / 10_000) || 0;
  if ("amt" in off) {
    const amount = off.amt?.[currency];
    return typeof amount !== "number" ? null : Math.min(Math.max(Math.floor(amount), 0), regular) || 0;
  }
  const fixed = off.fix?.[currency];
  return typeof fixed !== "number" ? null : Math.max(0, regular - Math.max(Math.ceil(fixed), 0)) || 0;
}

/**
 * The decimal percentage that takes `regular` to exactly `price` (minor units) when Shopify
 * applies it and rounds the result half up to a whole minor unit; null when there is nothing
 * off. The fewest decimals that land exactly: an exact percentage such as 10 stays "10".
 * Integer (BigInt) arithmetic throughout, so no float rounding can move a cent.
 */
export function percentageDecrease(regular: number, price: number): string | null {
  if (regular <= 0 || price >= regular) return null;
  const R = BigInt(regular);
  const T = BigInt(price);
  for (let decimals = 0; decimals <= 15; decimals++) {
    const scale = 100n * 10n ** BigInt(decimals); // percent -> fraction, at this many decimals
    // The nearest percentage (scaled) to 100 * (R - T) / R.
    const n = ((R - T) * scale * 2n + R) / (2n * R);
    if (roundHalfUp(R * (scale - n), scale) === T) return decimalString(n, decimals);
  }
  return null; // unreachable: 15 decimals land exactly for any price below 10^13 minor units
}

/** a / b rounded half up, for non-negative a and positive b. */
const roundHalfUp = (a: bigint, b: bigint) => (2n * a + b) / (2n * b);

function decimalString(n: bigint, decimals: number): string {
  if (decimals === 0) return n.toString();
  const digits = n.toString().padStart(decimals + 1, "0");
  return `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

// The metafields are written by the app's offer sync; anything else (an older version, a
// hand edit) is ignored rather than trusted.
function productBundles(json: unknown): BundleRule[] {
  const value = json as ProductBundles | null | undefined;
  if (!value || value.v !== 1 || !Array.isArray(value.rules)) return [];
  return value.rules.filter(
    (r) => r && typeof r.id === "string" && typeof r.r === "number" && typeof r.pv === "string" && isOff(r.off) &&
      typeof r.title === "string" && (r.img === null || typeof r.img === "string") &&
      ((r.k === "fixed" && Array.isArray(r.items) && r.items.length > 0 && r.items.every(isItem)) ||
        (r.k === "mix" && Number.isInteger(r.min) && Number.isInteger(r.max))),
  );
}

const isOff = (off: unknown) => typeof off === "object" && off !== null;
const isItem = (i: RuleItem) => !!i && typeof i.p === "string" && (i.v === null || typeof i.v === "string") && Number.isInteger(i.q) && i.q > 0;

function parentBundle(json: unknown): ParentBundle | null {
  const value = json as ParentBundle | null | undefined;
  const valid = value && value.v === 1 && Array.isArray(value.items) && value.items.length > 0 &&
    value.items.every((i) => i && typeof i.v === "string" && Number.isInteger(i.q) && i.q > 0 && typeof i.price === "object" && i.price !== null);
  return valid ? value : null;
}
