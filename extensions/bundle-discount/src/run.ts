// Discount Function (cart.lines.discounts.generate.run, product discount class): quantity tiers,
// frequently-bought-together sets and gifts with purchase, each costing at checkout what the
// product page showed. Pure: the cart and the metafields in, discount candidates out.
//
// Rules come from the lines' products (`discounts`, ProductDiscounts) and compete in rank order
// for the cart's units: each unit gets at most one Uplift discount, so the candidates never
// overlap and are all applied (selection strategy ALL; see `run`). Every amount is in the
// cart's currency, from the rule's own amounts (a currency the rule has no amount in: the rule
// does not apply), rounded as app/offers/pricing.ts rounds: down to a whole minor unit, never
// more than the units' regular price.
import { fromMinorUnits, toMinorUnits } from "../../../app/catalog/money.ts";
import type { DiscountRule, DiscountSettings, ProductDiscounts, RuleAudience, RuleItem, RuleOff, UnitOff } from "../../../app/offers/function-config.ts";
import {
  DiscountClass,
  ProductDiscountSelectionStrategy,
  type CartLinesDiscountsGenerateRunResult,
  type ProductDiscountCandidate,
  type RunInput,
} from "../generated/api.ts";

interface Unitised {
  id: string;
  productId: string;
  variantId: string;
  quantity: number;
  /** Unit price, minor units of the cart's currency. */
  unit: number;
  /** Units not yet discounted by a rule. */
  free: number;
  /** Ids of the rules the line's own product lists (from its metafield). */
  ruleIds: Set<string>;
}

type Kind = DiscountRule["k"];

// The lines' keys are run.graphql's one-letter aliases (Shopify counts the input's bytes, keys
// included, and every line repeats them): i id, q quantity, c cost (u amountPerQuantity: a
// amount), m merchandise (i variant id, p product: i id, r its `discounts` metafield, j
// jsonValue). They are read into names here, at the edge, and nowhere else. The currency is
// the cart's (cost.subtotalAmount), asked for once rather than on every line.

const NO_OPERATIONS: CartLinesDiscountsGenerateRunResult = { operations: [] };

export function run(input: RunInput): CartLinesDiscountsGenerateRunResult {
  const lines = input.cart.lines;
  if (!lines.length || !input.discount.discountClasses.includes(DiscountClass.Product)) return NO_OPERATIONS;
  const currency = input.cart.cost.subtotalAmount.currencyCode as string;
  const settings = discountSettings(input.discount.settings?.jsonValue);
  const tags = new Set((input.cart.buyerIdentity?.customer?.hasTags ?? []).filter((t) => t.hasTag).map((t) => t.tag));
  const message = messages(settings, input.localization.language.isoCode);

  const pool: Unitised[] = [];
  const rules = new Map<string, DiscountRule>();
  for (const line of lines) {
    const variant = line.m;
    if (!("p" in variant)) continue; // not a ProductVariant (a custom product): nothing to discount
    const own = productDiscounts(variant.p.r?.j);
    for (const rule of own) if (!rules.has(rule.id)) rules.set(rule.id, rule);
    pool.push({
      id: line.i,
      productId: variant.p.i,
      variantId: variant.i,
      quantity: line.q,
      unit: toMinorUnits(String(line.c.u.a), currency),
      free: line.q,
      ruleIds: new Set(own.map((r) => r.id)),
    });
  }
  // The cart's subtotal before any discount, for gift thresholds (the input's totals would not
  // show other discounts anyway).
  const subtotal = pool.reduce((sum, l) => sum + l.unit * l.quantity, 0);

  // Lines by product and by the rules their products list, so each rule looks only at the lines it could use.
  const cart: Cart = { byProduct: new Map(), byRule: new Map(), subtotal };
  for (const line of pool) {
    push(cart.byProduct, line.productId, line);
    for (const id of line.ruleIds) push(cart.byRule, id, line);
  }
  const candidates: ProductDiscountCandidate[] = [];
  const ordered = [...rules.values()].sort((a, b) => a.r - b.r || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const rule of ordered) {
    if (!forAudience(rule.aud, tags)) continue;
    const found =
      rule.k === "tiers" ? tierCandidates(rule, cart, currency)
      : rule.k === "fbt" ? setCandidates(rule, cart, currency)
      : giftCandidates(rule, cart, currency);
    for (const candidate of found) candidates.push({ ...candidate, ...(message(rule.k) ? { message: message(rule.k) } : {}) });
  }
  if (!candidates.length) return NO_OPERATIONS;
  // ALL: each candidate targets units no other candidate targets (see `take`), so applying all
  // of them is what makes the totals right. FIRST would keep only the first candidate and
  // MAXIMUM only the largest per line, dropping the other rules' units.
  return { operations: [{ productDiscountsAdd: { selectionStrategy: ProductDiscountSelectionStrategy.All, candidates } }] };
}

type Candidate = Omit<ProductDiscountCandidate, "message">;

interface Cart {
  byProduct: Map<string, Unitised[]>;
  byRule: Map<string, Unitised[]>;
  /** Before any discount, minor units. */
  subtotal: number;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Marks `n` units of `line` as discounted and returns them as a target. */
function take(line: Unitised, n: number) {
  line.free -= n;
  return { cartLine: { id: line.id, quantity: n } };
}

const amount = (minor: number, currency: string) => fromMinorUnits(minor, currency);

/** Each unit of the lines whose product lists the rule: the best tier the variant's quantity reaches. */
function tierCandidates(rule: Extract<DiscountRule, { k: "tiers" }>, cart: Cart, currency: string): Candidate[] {
  const lines = cart.byRule.get(rule.id) ?? [];
  const quantityOf = new Map<string, number>();
  for (const line of lines) quantityOf.set(line.variantId, (quantityOf.get(line.variantId) ?? 0) + line.quantity);
  const out: Candidate[] = [];
  for (const line of lines) {
    const reached = rule.tiers.filter((t) => t.min <= quantityOf.get(line.variantId)!);
    let best: number | null = null;
    for (const tier of reached) {
      const off = unitDiscount(line.unit, tier.off, currency);
      if (off !== null && (best === null || off > best)) best = off;
    }
    if (!best || line.free <= 0) continue;
    // A fixed amount per unit, not a percentage: the page showed each unit's price rounded
    // down once per unit, and a percentage of the whole line would round differently.
    out.push({ targets: [take(line, line.free)], value: { fixedAmount: { amount: amount(best, currency), appliesToEachItem: true } } });
  }
  return out;
}

/** Every complete set of the items among the units left: the set's discount over exactly those units; a partial set gets nothing. */
function setCandidates(rule: Extract<DiscountRule, { k: "fbt" }>, cart: Cart, currency: string): Candidate[] {
  const out: Candidate[] = [];
  // Most sets a line brings lack another of their items in the cart: settle those at once.
  if (rule.items.some((item) => !cart.byProduct.has(item.p))) return out;
  for (;;) {
    const set = findSet(rule.items, cart.byProduct);
    if (!set) break;
    const regular = set.reduce((sum, [line, n]) => sum + line.unit * n, 0);
    const off = setDiscount(regular, rule.off, currency);
    if (off === null) break; // no amount in this currency: the rule does not apply
    const targets = set.map(([line, n]) => take(line, n));
    if (off > 0) out.push({ targets, value: { fixedAmount: { amount: amount(off, currency), appliesToEachItem: false } } });
  }
  return out;
}

/** One set of `items` from the units not yet discounted, or null when the cart cannot complete it. */
function findSet(items: RuleItem[], byProduct: Map<string, Unitised[]>): [Unitised, number][] | null {
  const used = new Map<Unitised, number>();
  for (const item of items) {
    let need = item.q;
    for (const line of byProduct.get(item.p) ?? []) {
      if (item.v !== null && line.variantId !== item.v) continue;
      const n = Math.min(need, line.free - (used.get(line) ?? 0));
      if (n <= 0) continue;
      used.set(line, (used.get(line) ?? 0) + n);
      need -= n;
      if (!need) break;
    }
    if (need > 0) return null;
  }
  return [...used];
}

/** `gift.q` units of the gift free while the cart, without them, reaches `min` or holds a trigger product. */
function giftCandidates(rule: Extract<DiscountRule, { k: "gift" }>, cart: Cart, currency: string): Candidate[] {
  const { gift } = rule;
  let need = gift.q;
  const chosen: [Unitised, number][] = [];
  for (const line of cart.byProduct.get(gift.p) ?? []) {
    if (gift.v !== null && line.variantId !== gift.v) continue;
    const n = Math.min(need, line.free);
    if (n <= 0) continue;
    chosen.push([line, n]);
    need -= n;
    if (!need) break;
  }
  if (!chosen.length) return [];
  const giftValue = chosen.reduce((sum, [line, n]) => sum + line.unit * n, 0);
  const threshold = rule.min?.[currency];
  const reached = threshold !== undefined && cart.subtotal - giftValue >= threshold;
  const triggered = rule.trig.some((p) => p !== gift.p && cart.byProduct.has(p));
  if (!reached && !triggered) return [];
  return [{ targets: chosen.map(([line, n]) => take(line, n)), value: { percentage: { value: "100" } } }];
}

/** The discount on one unit, minor units; null when the rule has no amount in the currency. */
function unitDiscount(unit: number, off: UnitOff, currency: string): number | null {
  if ("bp" in off) return Math.floor((unit * clampBp(off.bp)) / 10_000) || 0;
  const a = off.amt?.[currency];
  return typeof a !== "number" ? null : Math.min(Math.max(Math.floor(a), 0), unit) || 0;
}

/** The discount on a set, as app/offers/pricing.ts computes it; null when the rule has no amount in the currency. */
function setDiscount(regular: number, off: RuleOff, currency: string): number | null {
  if ("bp" in off) return Math.floor((regular * clampBp(off.bp)) / 10_000) || 0;
  if ("amt" in off) {
    const a = off.amt?.[currency];
    return typeof a !== "number" ? null : Math.min(Math.max(Math.floor(a), 0), regular) || 0;
  }
  const fixed = off.fix?.[currency];
  return typeof fixed !== "number" ? null : Math.max(0, regular - Math.max(Math.ceil(fixed), 0)) || 0;
}

// Clamped and floored (`|| 0` turns NaN into nothing off), so a hand-edited metafield can
// neither raise a discount nor make the Function throw, which would drop every discount at once.
const clampBp = (bp: number) => Math.min(Math.max(bp, 0), 10_000);

/** Left out: everyone. Otherwise a customer with one of `inc` (when given) and none of `exc`. */
function forAudience(aud: RuleAudience | undefined, tags: Set<string>): boolean {
  if (!aud) return true;
  if (aud.inc.length && !aud.inc.some((t) => tags.has(t))) return false;
  return !aud.exc.some((t) => tags.has(t));
}

/** The discount's message for a rule kind in the shopper's language (`PT_BR`: `pt-br`, `pt_br`, then `pt`), else English. */
function messages(settings: DiscountSettings | null, isoCode: string): (kind: Kind) => string | undefined {
  const code = isoCode.toLowerCase();
  const table = settings?.messages ?? {};
  const own = table[code.replace("_", "-")] ?? table[code] ?? table[code.split("_")[0]!];
  const text = (value: unknown) => (typeof value === "string" && value ? value : undefined);
  return (kind) => text(own?.[kind]) ?? text(table.en?.[kind]);
}

// The metafields are written by the app's offer sync; anything else (an older version, a hand
// edit) is ignored rather than trusted.
function productDiscounts(json: unknown): DiscountRule[] {
  const value = json as ProductDiscounts | null | undefined;
  if (!value || value.v !== 1 || !Array.isArray(value.rules)) return [];
  return value.rules.filter(
    (r) => r && typeof r.id === "string" && typeof r.r === "number" && (r.aud === undefined || isAudience(r.aud)) &&
      ((r.k === "tiers" && Array.isArray(r.tiers) && r.tiers.every((t) => t && typeof t.min === "number" && isOff(t.off))) ||
        (r.k === "fbt" && Array.isArray(r.items) && r.items.length > 0 && r.items.every(isItem) && isOff(r.off)) ||
        (r.k === "gift" && isItem(r.gift) && (r.min === null || isOff(r.min)) && Array.isArray(r.trig))),
  );
}

const isOff = (off: unknown) => typeof off === "object" && off !== null;
const isItem = (i: RuleItem) => !!i && typeof i.p === "string" && (i.v === null || typeof i.v === "string") && Number.isInteger(i.q) && i.q > 0;
const isAudience = (a: RuleAudience) => !!a && Array.isArray(a.inc) && Array.isArray(a.exc);

function discountSettings(json: unknown): DiscountSettings | null {
  const value = json as DiscountSettings | null | undefined;
  return value && value.v === 1 ? value : null;
}
