// What Shopify's checkout does with the Functions' operations, as a pure step: the cart
// transform's merges and expansions turn the checkout's lines into the lines it shows and
// charges, then each automatic app discount's product discount candidates take amounts off
// them. Money is integer minor units in the checkout's currency throughout.
//
// Rules written down here (Shopify documents the operations, not every rounding):
// - linesMerge: the parent line's price is the components' total less `percentageDecrease`
//   of it, the decrease rounded half up to the minor unit. Its quantity is the greatest common
//   divisor of the merged quantities (2 phones + 2 cases merged are 2 bundles of 1 + 1).
// - lineExpand: the line keeps its quantity; each expanded item is `quantity` per parent unit
//   at its `fixedPricePerUnit` (the parent's own price when it has none), then the
//   line's `percentageDecrease` as for a merge.
// - A line (or part of a line's quantity) that an earlier operation used is not used again:
//   a later operation that needs it is skipped, as Shopify runs a non-colliding subset.
// - Product discount candidates: `percentage` of the targeted units' amount, rounded half up;
//   `fixedAmount` per unit with `appliesToEachItem`, otherwise spread over the targets by
//   their amounts (largest remainder). No line goes below zero: each allocation is capped at
//   what is left of the line. FIRST takes the first candidate, MAXIMUM the candidate worth
//   most, ALL every candidate.
// - Discounts from different automatic discounts stack on a line only when both combine with
//   product discounts; otherwise the first to reach the line keeps it.
import { decimal, type FunctionLine } from "./input.ts";

export interface NameValue { name: string; value: string }

/** A line of the checkout before any Function: one cart line. */
export interface SourceLine {
  key: string;
  variantId: number;
  quantity: number;
  /** Unit price in the checkout's currency, minor units. */
  price: number;
  properties: NameValue[];
}

/** One component of a bundle line: a cart line it merged or an item it expanded to. */
export interface Component {
  variantId: number;
  /** Units of this component in the whole line (per parent unit × the line's quantity). */
  quantity: number;
  /** Its unit price before the bundle's price (the variant's price, or the expansion's fixed price). */
  unitPrice: number;
  /** What the bundle's price gives this component in total, before discounts. */
  total: number;
  properties: NameValue[];
  /** The cart line it came from (a merge); null for an expansion's item. */
  sourceKey: string | null;
}

export interface Allocation { application: number; amount: number }

/** A line as the checkout shows and charges it. */
export interface PricedLine {
  /** `gid://shopify/CartLine/<n>`: what the discount Functions see. */
  id: string;
  kind: "line" | "merged" | "expanded";
  variantId: number;
  quantity: number;
  /** The line's price before discounts. */
  subtotal: number;
  /** A merge's or expansion's title and image; null: the variant's own. */
  title: string | null;
  image: string | null;
  properties: NameValue[];
  components: Component[];
  allocations: Allocation[];
}

export interface DiscountApplication {
  /** The discount's id (DiscountAutomaticNode gid) and title. */
  discountId: string;
  title: string;
  /** The candidate's message, what the checkout shows; the title when it has none. */
  message: string;
  valueType: "percentage" | "fixed_amount";
  /** Percent ("10.0") or amount in the checkout's currency, as Shopify's REST gives it. */
  value: string;
  allocationMethod: "across" | "each";
}

export interface PricedCheckout {
  lines: PricedLine[];
  applications: DiscountApplication[];
  subtotal: number;
  discounts: number;
  total: number;
}

/** The lines before the cart transform, numbered as the Function input numbers them. */
export function pricedFromSource(source: SourceLine[]): PricedLine[] {
  return source.map((l, i) => ({
    id: `gid://shopify/CartLine/${i + 1}`, kind: "line", variantId: l.variantId, quantity: l.quantity, subtotal: l.price * l.quantity,
    title: null, image: null, properties: l.properties,
    components: [{ variantId: l.variantId, quantity: l.quantity, unitPrice: l.price, total: l.price * l.quantity, properties: l.properties, sourceKey: l.key }],
    allocations: [],
  }));
}

/** The lines as a Function sees them (input.ts). */
export function functionLines(lines: PricedLine[]): FunctionLine[] {
  return lines.map((l) => ({
    id: l.id, variantId: l.variantId, quantity: l.quantity, attributes: Object.fromEntries(l.properties.map((p) => [p.name, p.value])),
    // A bundle line's unit amount; its subtotal stays exact in the input's subtotalAmount only when it divides.
    amountPerQuantity: Math.round(l.subtotal / l.quantity), compareAtAmountPerQuantity: null,
  }));
}

/** Decimal string ("12.5", "29.99") to an exact fraction numerator / 10^scale. */
function fraction(value: string | number): { n: bigint; d: bigint } {
  const text = String(value).trim();
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m) throw new Error(`Not a decimal: ${text}`);
  const decimals = m[3] ?? "";
  const n = BigInt(`${m[1]}${m[2] || "0"}${decimals}`);
  return { n, d: 10n ** BigInt(decimals.length) };
}

/** `amount` × `percent` / 100, rounded half up to the minor unit. */
export function percentOf(amount: number, percent: string | number): number {
  const { n, d } = fraction(percent);
  const scaled = BigInt(amount) * n; // the result is scaled / (100 d)
  const denominator = 100n * d;
  return Number((2n * scaled + denominator) / (2n * denominator));
}

/** A decimal amount ("5.5") to minor units, rounded half up. */
export function minorOf(amount: string | number): number {
  const { n, d } = fraction(amount);
  return Number((2n * n * 100n + d) / (2n * d));
}

/** Splits `amount` over `weights` in proportion, exactly (largest remainder, ties to the first). */
export function spread(amount: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) return weights.map((_, i) => (i === 0 ? amount : 0));
  const exact = weights.map((w) => (amount * w) / sum);
  const shares = exact.map(Math.floor);
  let left = amount - shares.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    shares[i]!++;
    left--;
  }
  return shares;
}

const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);

interface MergeOp {
  parentVariantId: string; title?: string | null; image?: { url: string } | null;
  attributes?: { key: string; value: string }[] | null; cartLines: { cartLineId: string; quantity: number }[];
  price?: { percentageDecrease?: { value: string | number } | null } | null;
}
interface ExpandOp {
  cartLineId: string; title?: string | null; image?: { url: string } | null;
  expandedCartItems: { merchandiseId: string; quantity: number; price?: { adjustment: { fixedPricePerUnit?: { amount: string | number } | null } } | null; attributes?: { key: string; value: string }[] | null }[];
  price?: { percentageDecrease?: { value: string | number } | null } | null;
}
export interface CartTransformOutput { operations: { linesMerge?: MergeOp | null; lineExpand?: ExpandOp | null; lineUpdate?: unknown }[] }

const numeric = (id: string) => Number(id.split("/").pop());

/**
 * Applies a cart transform's operations (validated output) to the lines. `unitPrice(variantId)`
 * is a variant's price in the checkout's currency (for an expansion's items without a price),
 * null for a variant the shop does not have.
 * Returns the lines and what was skipped, with why.
 */
export function applyCartTransform(lines: PricedLine[], output: CartTransformOutput, unitPrice: (variantId: number) => number | null): { lines: PricedLine[]; skipped: string[] } {
  const left = new Map(lines.map((l) => [l.id, l.quantity]));
  const byId = new Map(lines.map((l) => [l.id, l]));
  const made: PricedLine[] = [];
  const skipped: string[] = [];
  let next = lines.length;
  const decrease = (price: MergeOp["price"]) => (price?.percentageDecrease ? price.percentageDecrease.value : 0);

  output.operations.forEach((op, i) => {
    if (op.lineUpdate) { skipped.push(`operations[${i}]: lineUpdate is for Shopify Plus shops only`); return; }
    if (op.linesMerge) {
      const merge = op.linesMerge;
      const parts = merge.cartLines.map((c) => ({ line: byId.get(c.cartLineId), quantity: c.quantity }));
      const wanted = new Map<string, number>();
      for (const p of parts) if (p.line) wanted.set(p.line.id, (wanted.get(p.line.id) ?? 0) + p.quantity);
      if (!parts.length || parts.some((p) => !p.line || p.line.kind !== "line" || p.quantity < 1) || [...wanted].some(([id, q]) => q > left.get(id)!)) {
        skipped.push(`operations[${i}]: linesMerge names a line or quantity the cart does not have (left)`);
        return;
      }
      if (unitPrice(numeric(merge.parentVariantId)) === null) {
        skipped.push(`operations[${i}]: linesMerge names a parent variant the shop does not have`);
        return;
      }
      const components = parts.map(({ line, quantity }) => {
        const unit = line!.subtotal / line!.quantity;
        return { variantId: line!.variantId, quantity, unitPrice: unit, total: unit * quantity, properties: line!.properties, sourceKey: line!.components[0]!.sourceKey };
      });
      for (const [id, q] of wanted) left.set(id, left.get(id)! - q);
      const before = components.reduce((n, c) => n + c.total, 0);
      const subtotal = before - percentOf(before, decrease(merge.price));
      const shares = spread(subtotal, components.map((c) => c.total));
      made.push({
        id: `gid://shopify/CartLine/${++next}`, kind: "merged", variantId: numeric(merge.parentVariantId),
        quantity: components.map((c) => c.quantity).reduce(gcd), subtotal, title: merge.title ?? null, image: merge.image?.url ?? null,
        properties: (merge.attributes ?? []).map((a) => ({ name: a.key, value: a.value })),
        components: components.map((c, j) => ({ ...c, total: shares[j]! })), allocations: [],
      });
      return;
    }
    if (op.lineExpand) {
      const expand = op.lineExpand;
      const line = byId.get(expand.cartLineId);
      if (!line || line.kind !== "line" || left.get(line.id) !== line.quantity) {
        skipped.push(`operations[${i}]: lineExpand names a line the cart does not have (left)`);
        return;
      }
      const items = expand.expandedCartItems.map((item) => {
        const variantId = numeric(item.merchandiseId);
        const fixed = item.price?.adjustment.fixedPricePerUnit;
        const unit = fixed ? minorOf(fixed.amount) : unitPrice(variantId);
        return { variantId, quantity: item.quantity * line.quantity, unitPrice: unit, properties: (item.attributes ?? []).map((a) => ({ name: a.key, value: a.value })) };
      });
      if (!items.length || items.some((it) => it.unitPrice === null || it.quantity < 1)) {
        skipped.push(`operations[${i}]: lineExpand names merchandise the shop does not have`);
        return;
      }
      left.set(line.id, 0);
      const before = items.reduce((n, it) => n + it.unitPrice! * it.quantity, 0);
      const subtotal = before - percentOf(before, decrease(expand.price));
      const shares = spread(subtotal, items.map((it) => it.unitPrice! * it.quantity));
      made.push({
        id: line.id, kind: "expanded", variantId: line.variantId, quantity: line.quantity, subtotal, title: expand.title ?? null, image: expand.image?.url ?? null,
        properties: line.properties, allocations: [],
        components: items.map((it, j) => ({ ...it, unitPrice: it.unitPrice!, total: shares[j]!, sourceKey: null })),
      });
    }
  });
  // What no operation used stays as it was (a partly merged line keeps the rest); an expanded
  // line keeps its place; merged lines come after the cart's own.
  const expanded = new Map(made.filter((m) => m.kind === "expanded").map((m) => [m.id, m]));
  const kept = lines.flatMap((l): PricedLine[] => {
    const expansion = expanded.get(l.id);
    if (expansion) return [expansion];
    const q = left.get(l.id)!;
    if (q === 0) return [];
    if (q === l.quantity) return [l];
    const unit = l.subtotal / l.quantity;
    return [{ ...l, quantity: q, subtotal: unit * q, components: l.components.map((c) => ({ ...c, quantity: q, total: unit * q })) }];
  });
  return { lines: [...kept, ...made.filter((m) => m.kind === "merged")], skipped };
}

interface Candidate {
  targets: { cartLine?: { id: string; quantity?: number | null } | null }[];
  value: { percentage?: { value: string | number } | null; fixedAmount?: { amount: string | number; appliesToEachItem?: boolean | null } | null };
  message?: string | null;
}
export interface DiscountOutput {
  operations: { productDiscountsAdd?: { selectionStrategy: "FIRST" | "MAXIMUM" | "ALL"; candidates: Candidate[] } | null; orderDiscountsAdd?: unknown; enteredDiscountCodesAccept?: unknown; enteredDiscountCodesReject?: unknown }[];
}

export interface RunningDiscount { id: string; title: string; combinesWithProductDiscounts: boolean }

/**
 * Applies one automatic discount's validated output to the lines (in place: their
 * allocations), adding its applications to `applications`. Returns what was skipped.
 */
export function applyDiscount(lines: PricedLine[], discount: RunningDiscount, output: DiscountOutput, applications: DiscountApplication[], stacking: Map<string, boolean>): string[] {
  const skipped: string[] = [];
  const byId = new Map(lines.map((l) => [l.id, l]));
  const remaining = (l: PricedLine) => l.subtotal - l.allocations.reduce((n, a) => n + a.amount, 0);

  /** A candidate's amounts per target line, before capping. */
  const amounts = (c: Candidate): { line: PricedLine; amount: number }[] => {
    const targets = c.targets.map((t) => t.cartLine).filter((t): t is { id: string; quantity?: number | null } => !!t && byId.has(t.id))
      .map((t) => {
        const line = byId.get(t.id)!;
        const quantity = Math.min(line.quantity, t.quantity ?? line.quantity);
        return { line, quantity, base: Math.round((line.subtotal * quantity) / line.quantity) };
      });
    if (c.value.percentage) {
      const pct = c.value.percentage.value;
      return targets.map((t) => ({ line: t.line, amount: percentOf(t.base, pct) }));
    }
    const fixed = c.value.fixedAmount!;
    const amount = minorOf(fixed.amount);
    if (fixed.appliesToEachItem) return targets.map((t) => ({ line: t.line, amount: amount * t.quantity }));
    const shares = spread(Math.min(amount, targets.reduce((n, t) => n + t.base, 0)), targets.map((t) => t.base));
    return targets.map((t, i) => ({ line: t.line, amount: shares[i]! }));
  };

  output.operations.forEach((op, i) => {
    if (!op.productDiscountsAdd) {
      if (op.orderDiscountsAdd || op.enteredDiscountCodesAccept || op.enteredDiscountCodesReject) skipped.push(`operations[${i}]: only product discounts are applied by the stand-in`);
      return;
    }
    const { candidates, selectionStrategy } = op.productDiscountsAdd;
    const worth = (c: Candidate) => amounts(c).reduce((n, a) => n + Math.min(a.amount, remaining(a.line)), 0);
    const chosen = selectionStrategy === "ALL" ? candidates
      : selectionStrategy === "FIRST" ? candidates.slice(0, 1)
      : candidates.length ? [candidates.reduce((best, c) => (worth(c) > worth(best) ? c : best))] : [];
    for (const candidate of chosen) {
      const message = candidate.message || discount.title;
      const percentage = candidate.value.percentage;
      const application: DiscountApplication = {
        discountId: discount.id, title: discount.title, message,
        valueType: percentage ? "percentage" : "fixed_amount",
        value: percentage ? String(percentage.value) : decimal(minorOf(candidate.value.fixedAmount!.amount)),
        allocationMethod: !percentage && candidate.value.fixedAmount!.appliesToEachItem ? "each" : "across",
      };
      let index = applications.findIndex((a) => JSON.stringify(a) === JSON.stringify(application));
      for (const { line, amount } of amounts(candidate)) {
        // A line another discount reached takes this one only when both combine with product discounts.
        const touched = stacking.get(line.id);
        if (touched !== undefined && line.allocations.some((a) => applications[a.application]?.discountId !== discount.id) && !(touched && discount.combinesWithProductDiscounts)) continue;
        const capped = Math.min(amount, remaining(line));
        if (capped <= 0) continue;
        if (index < 0) index = applications.push(application) - 1;
        line.allocations.push({ application: index, amount: capped });
        stacking.set(line.id, (touched ?? true) && discount.combinesWithProductDiscounts);
      }
    }
  });
  return skipped;
}

export function totals(lines: PricedLine[], applications: DiscountApplication[]): PricedCheckout {
  const subtotal = lines.reduce((n, l) => n + l.subtotal, 0);
  const discounts = lines.reduce((n, l) => n + l.allocations.reduce((m, a) => m + a.amount, 0), 0);
  return { lines, applications, subtotal, discounts, total: subtotal - discounts };
}
