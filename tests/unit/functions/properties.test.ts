// Properties of the two bundle Functions (fast-check), against the storefront's own pricing
// (app/offers/pricing.ts: what the product page showed) as the oracle: never more discount than
// configured, never a line below zero, several bundles in one cart, a partial bundle gets
// nothing, a forged `_uplift_offer` gets nothing, in EUR, USD and JPY.
import path from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { run as discountRun } from "../../../extensions/bundle-discount/src/run.ts";
import { run as transformRun } from "../../../extensions/bundle-transform/src/run.ts";
import { toMinorUnits } from "../../../app/catalog/money.ts";
import type { DiscountRule, RuleOff, UnitOff } from "../../../app/offers/function-config.ts";
import type { Discount } from "../../../app/offers/model.ts";
import { priceWith } from "../../../app/offers/pricing.ts";
import { loadFunction, type LoadedFunction } from "../../devshop/functions/quickjs.ts";
import { loadFunctionSchema, validateOutput } from "../../devshop/functions/schema.ts";
import { discountInput, discountLine, gid, transformInput, transformLine } from "./carts.ts";

const CURRENCIES = ["EUR", "USD", "JPY"] as const;
const root = path.resolve(import.meta.dirname, "../../..");
const transformSchema = loadFunctionSchema("cart_transform", "2026-07");
const discountSchema = loadFunctionSchema("discount", "2026-07");

/** The contract's encoding of a discount, as the offer model spells it (what the page priced with). */
function asDiscount(off: RuleOff | UnitOff): Discount {
  if ("bp" in off) return { type: "percentage", basisPoints: off.bp };
  if ("amt" in off) return { type: "amount", amounts: off.amt };
  return { type: "fixed_price", prices: off.fix };
}

/** What Shopify charges for `regular` less `percent` % (a decimal string), rounded half up to the minor unit. */
function shopifyPercentPrice(regular: number, percent: string): number {
  const [whole, fraction = ""] = percent.split(".");
  const scale = 100n * 10n ** BigInt(fraction.length);
  const n = BigInt(whole! + fraction);
  const a = BigInt(regular) * (scale - n);
  return Number((2n * a + scale) / (2n * scale));
}

const amountIn = (currency: string) => fc.integer({ min: 0, max: currency === "JPY" ? 20_000 : 200_000 });
/** An amount per currency that sometimes leaves the cart's currency out. */
const perCurrency = (currency: string) =>
  fc.record({ has: fc.boolean(), amount: amountIn(currency), other: fc.integer({ min: 0, max: 10_000 }) })
    .map(({ has, amount, other }) => (has ? { [currency]: amount, GBP: other } : { GBP: other }));
const ruleOff = (currency: string): fc.Arbitrary<RuleOff> =>
  fc.oneof(
    fc.integer({ min: 1, max: 10_000 }).map((bp) => ({ bp })),
    perCurrency(currency).map((amt) => ({ amt })),
    perCurrency(currency).map((fix) => ({ fix })),
  );
const unitPrice = (currency: string) => fc.integer({ min: 1, max: currency === "JPY" ? 50_000 : 500_000 });

interface SetSpec { items: { q: number; unit: number; sets: number; extra: number; offer: boolean }[]; off: RuleOff; partial: boolean }

/** Several fixed bundles (or bought-together sets) on disjoint products, each complete `sets` times or left partial. */
const bundleCart = fc.constantFrom(...CURRENCIES).chain((currency) =>
  fc.record({
    currency: fc.constant(currency),
    rules: fc.array(
      fc.record({
        items: fc.array(fc.record({ q: fc.integer({ min: 1, max: 3 }), unit: unitPrice(currency), sets: fc.integer({ min: 1, max: 3 }), extra: fc.integer({ min: 0, max: 1 }), offer: fc.boolean() }), { minLength: 1, maxLength: 3 }),
        off: ruleOff(currency),
        partial: fc.boolean(),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  }),
);

/** The complete sets of a rule: as many as its scarcest item allows (0 when partial). */
const setsOf = (rule: SetSpec) => (rule.partial && rule.items.length > 1 ? 0 : Math.min(...rule.items.map((i) => i.sets)));
const setRegular = (rule: SetSpec) => rule.items.reduce((sum, i) => sum + i.q * i.unit, 0);

/** Lines for the cart: one per item (the first item's line left out of a partial rule with several items). */
function bundleLines(rules: SetSpec[]) {
  const lines: { rule: number; item: number; product: number; quantity: number; unit: number; offer: boolean }[] = [];
  rules.forEach((rule, r) => {
    const sets = setsOf(rule);
    rule.items.forEach((item, i) => {
      if (rule.partial && rule.items.length > 1 && i === 0) return;
      // A partial rule's other items come in any quantity; a complete one's in `sets` sets plus a spare unit or none.
      const quantity = rule.partial && rule.items.length > 1 ? item.q * item.sets + item.extra : item.q * sets + (item.extra && item.q > 1 ? item.q - 1 : 0);
      lines.push({ rule: r, item: i, product: 100 * (r + 1) + i, quantity, unit: item.unit, offer: item.offer });
    });
  });
  return lines;
}

describe("bundle-transform properties", () => {
  it("merges every complete fixed bundle at exactly the page's price, several per cart, and a partial one not at all", () => {
    fc.assert(
      fc.property(bundleCart, ({ currency, rules }) => {
        const contract = rules.map((rule, r) => ({
          k: "fixed" as const, id: `offer-${r}`, r, off: rule.off, pv: gid("ProductVariant", 9000 + r), title: `Bundle ${r}`, img: null,
          items: rule.items.map((item, i) => ({ p: gid("Product", 100 * (r + 1) + i), v: null, q: item.q })),
        }));
        const lines = bundleLines(rules);
        const input = transformInput(lines.map((l, n) => transformLine({
          line: n + 1, product: l.product, variant: l.product * 10, quantity: l.quantity, unit: l.unit, currency,
          offer: l.offer ? `offer-${l.rule}` : undefined, bundles: { v: 1, rules: [contract[l.rule]!] },
        })));
        const output = transformRun(input as never);
        expect(validateOutput(transformSchema, "CartTransformRunResult", output)).toEqual([]);
        const merges = output.operations.map((o) => o.linesMerge!);
        rules.forEach((rule, r) => {
          const merge = merges.find((m) => m.parentVariantId === gid("ProductVariant", 9000 + r));
          const sets = setsOf(rule);
          const page = priceWith(setRegular(rule), asDiscount(rule.off), currency);
          if (sets === 0 || page === null) {
            expect(merge).toBeUndefined();
            return;
          }
          expect(merge).toBeDefined();
          // Exactly the sets' units, each line once.
          const units = merge!.cartLines.reduce((sum, c) => sum + c.quantity, 0);
          expect(units).toBe(sets * rule.items.reduce((sum, i) => sum + i.q, 0));
          expect(new Set(merge!.cartLines.map((c) => c.cartLineId)).size).toBe(merge!.cartLines.length);
          const regular = sets * setRegular(rule);
          const charged = merge!.price ? shopifyPercentPrice(regular, String(merge!.price.percentageDecrease!.value)) : regular;
          expect(charged).toBe(sets * page.price);
          expect(charged).toBeGreaterThanOrEqual(0);
        });
      }),
      { numRuns: 300 },
    );
  });

  it("merges a mix-and-match only from lines that carry its property and whose product lists it, never over its configured discount", () => {
    const cart = fc.constantFrom(...CURRENCIES).chain((currency) =>
      fc.record({
        currency: fc.constant(currency),
        min: fc.integer({ min: 1, max: 3 }),
        span: fc.integer({ min: 0, max: 2 }),
        bp: fc.integer({ min: 1, max: 10_000 }),
        chosen: fc.array(fc.record({ quantity: fc.integer({ min: 1, max: 3 }), unit: unitPrice(currency) }), { maxLength: 4 }),
        forged: fc.array(fc.record({ quantity: fc.integer({ min: 1, max: 3 }), unit: unitPrice(currency) }), { minLength: 1, maxLength: 3 }),
        unmarked: fc.array(fc.record({ quantity: fc.integer({ min: 1, max: 3 }), unit: unitPrice(currency) }), { maxLength: 2 }),
      }),
    );
    fc.assert(
      fc.property(cart, ({ currency, min, span, bp, chosen, forged, unmarked }) => {
        const rule = { k: "mix" as const, id: "offer-mix", r: 0, min, max: min + span, off: { bp }, pv: gid("ProductVariant", 9500), title: "Mix", img: null };
        const bundles = { v: 1 as const, rules: [rule] };
        let n = 0;
        const lines = [
          ...chosen.map((l) => transformLine({ line: ++n, product: n, variant: n, ...l, currency, offer: "offer-mix", bundles })),
          // Forged: the property is there, but the product is not in the mix-and-match.
          ...forged.map((l) => transformLine({ line: ++n, product: n, variant: n, ...l, currency, offer: "offer-mix" })),
          // In the mix-and-match, but not chosen as part of it.
          ...unmarked.map((l) => transformLine({ line: ++n, product: n, variant: n, ...l, currency, bundles })),
        ];
        const output = transformRun(transformInput(lines) as never);
        expect(validateOutput(transformSchema, "CartTransformRunResult", output)).toEqual([]);
        const chosenIds = new Set(lines.slice(0, chosen.length).map((l) => l.i));
        const chosenUnits = chosen.reduce((sum, l) => sum + l.quantity, 0);
        const merge = output.operations[0]?.linesMerge;
        if (chosenUnits < min) {
          expect(output.operations).toEqual([]);
          return;
        }
        expect(merge).toBeDefined();
        for (const c of merge!.cartLines) expect(chosenIds.has(c.cartLineId)).toBe(true);
        const units = merge!.cartLines.reduce((sum, c) => sum + c.quantity, 0);
        const sets = Math.ceil(units / rule.max);
        expect(chosenUnits - units).toBeLessThan(min);
        const unitOf = new Map(lines.map((l) => [l.i, toMinorUnits(l.c.u.a, currency)]));
        const regular = merge!.cartLines.reduce((sum, c) => sum + unitOf.get(c.cartLineId)! * c.quantity, 0);
        const charged = merge!.price ? shopifyPercentPrice(regular, String(merge!.price.percentageDecrease!.value)) : regular;
        const most = Math.floor((regular * bp) / 10_000);
        // Rounded down per set: at most the configured share, at most a minor unit less per further set.
        expect(regular - charged).toBeLessThanOrEqual(most);
        expect(regular - charged).toBeGreaterThanOrEqual(most - (sets - 1));
      }),
      { numRuns: 300 },
    );
  });
});

/** Per line: the units the candidates target and the discount they take, as Shopify would apply them. */
function applied(output: ReturnType<typeof discountRun>, lines: ReturnType<typeof discountLine>[], currency: string) {
  const byId = new Map(lines.map((l) => [l.i, { unit: toMinorUnits(l.c.u.a, currency), quantity: l.q, units: 0 }]));
  const candidates = output.operations.flatMap((o) => o.productDiscountsAdd?.candidates ?? []);
  const amounts: { amount: number; worth: number; message?: string | null }[] = [];
  for (const c of candidates) {
    let worth = 0;
    for (const t of c.targets) {
      const line = byId.get(t.cartLine!.id)!;
      const q = t.cartLine!.quantity ?? line.quantity;
      line.units += q;
      worth += line.unit * q;
    }
    const value = c.value;
    const amount = value.percentage ? Math.round((worth * Number(value.percentage.value)) / 100)
      : value.fixedAmount!.appliesToEachItem ? c.targets.reduce((sum, t) => sum + toMinorUnits(String(value.fixedAmount!.amount), currency) * (t.cartLine!.quantity ?? 0), 0)
      : toMinorUnits(String(value.fixedAmount!.amount), currency);
    amounts.push({ amount, worth, message: c.message });
  }
  return { lines: byId, amounts, strategy: output.operations[0]?.productDiscountsAdd?.selectionStrategy };
}

describe("bundle-discount properties", () => {
  it("prices each tier unit exactly as the page did (the best tier reached), in the cart's currency only", () => {
    const cart = fc.constantFrom(...CURRENCIES).chain((currency) =>
      fc.record({
        currency: fc.constant(currency),
        tiers: fc.array(fc.record({ min: fc.integer({ min: 1, max: 6 }), off: fc.oneof(fc.integer({ min: 1, max: 10_000 }).map((bp): UnitOff => ({ bp })), perCurrency(currency).map((amt): UnitOff => ({ amt }))) }), { minLength: 1, maxLength: 3 }),
        lines: fc.array(fc.record({ variant: fc.integer({ min: 1, max: 3 }), quantity: fc.integer({ min: 1, max: 4 }), unit: unitPrice(currency) }), { minLength: 1, maxLength: 5 }),
      }),
    );
    fc.assert(
      fc.property(cart, ({ currency, tiers, lines }) => {
        const rule: DiscountRule = { k: "tiers", id: "offer-t", r: 0, tiers };
        // One unit price per variant, as in a real cart.
        const unitOf = new Map<number, number>();
        const built = lines.map((l, i) => {
          if (!unitOf.has(l.variant)) unitOf.set(l.variant, l.unit);
          return discountLine({ line: i + 1, product: 1, variant: l.variant, quantity: l.quantity, unit: unitOf.get(l.variant)!, currency, discounts: { v: 1, rules: [rule] } });
        });
        const output = discountRun(discountInput(built, { currency }) as never);
        expect(validateOutput(discountSchema, "CartLinesDiscountsGenerateRunResult", output)).toEqual([]);
        const candidates = output.operations.flatMap((o) => o.productDiscountsAdd!.candidates);
        lines.forEach((l, i) => {
          const total = lines.filter((o) => o.variant === l.variant).reduce((sum, o) => sum + o.quantity, 0);
          const unit = unitOf.get(l.variant)!;
          const offs = tiers.filter((t) => t.min <= total).map((t) => priceWith(unit, asDiscount(t.off), currency)).filter((p) => p !== null).map((p) => unit - p!.price);
          const best = Math.max(0, ...offs);
          const mine = candidates.filter((c) => c.targets.some((t) => t.cartLine!.id === built[i]!.i));
          if (best === 0) expect(mine).toEqual([]);
          else {
            expect(mine).toHaveLength(1);
            expect(toMinorUnits(String(mine[0]!.value.fixedAmount!.amount), currency)).toBe(best);
            expect(mine[0]!.targets[0]!.cartLine!.quantity).toBe(l.quantity);
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it("gives every complete bought-together set exactly the page's discount, several per cart, and a partial set nothing", () => {
    fc.assert(
      fc.property(bundleCart, ({ currency, rules }) => {
        const contract: DiscountRule[] = rules.map((rule, r) => ({ k: "fbt", id: `offer-${r}`, r, off: rule.off, items: rule.items.map((item, i) => ({ p: gid("Product", 100 * (r + 1) + i), v: null, q: item.q })) }));
        const lines = bundleLines(rules);
        const built = lines.map((l, n) => discountLine({ line: n + 1, product: l.product, variant: l.product * 10, quantity: l.quantity, unit: l.unit, currency, discounts: { v: 1, rules: [contract[l.rule]!] } }));
        const output = discountRun(discountInput(built, { currency }) as never);
        expect(validateOutput(discountSchema, "CartLinesDiscountsGenerateRunResult", output)).toEqual([]);
        const candidates = output.operations.flatMap((o) => o.productDiscountsAdd!.candidates);
        rules.forEach((rule, r) => {
          const ids = new Set(built.filter((_, n) => lines[n]!.rule === r).map((l) => l.i));
          const mine = candidates.filter((c) => c.targets.some((t) => ids.has(t.cartLine!.id)));
          const page = priceWith(setRegular(rule), asDiscount(rule.off), currency);
          const sets = setsOf(rule);
          if (sets === 0 || page === null || page.price === page.regular) {
            expect(mine).toEqual([]);
            return;
          }
          expect(mine).toHaveLength(sets);
          for (const c of mine) {
            expect(toMinorUnits(String(c.value.fixedAmount!.amount), currency)).toBe(page.regular - page.price);
            expect(c.targets.reduce((sum, t) => sum + t.cartLine!.quantity!, 0)).toBe(rule.items.reduce((sum, i) => sum + i.q, 0));
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it("never discounts more than configured nor takes a line below zero, each unit discounted once, whatever the rules on the cart", () => {
    const cart = fc.constantFrom(...CURRENCIES).chain((currency) => {
      const item = fc.record({ p: fc.integer({ min: 1, max: 4 }), q: fc.integer({ min: 1, max: 2 }) });
      const rule: fc.Arbitrary<DiscountRule> = fc.oneof(
        fc.record({ k: fc.constant("tiers" as const), tiers: fc.array(fc.record({ min: fc.integer({ min: 1, max: 4 }), off: fc.oneof(fc.integer({ min: 1, max: 10_000 }).map((bp): UnitOff => ({ bp })), perCurrency(currency).map((amt): UnitOff => ({ amt }))) }), { minLength: 1, maxLength: 2 }) }),
        fc.record({ k: fc.constant("fbt" as const), items: fc.array(item, { minLength: 1, maxLength: 3 }), off: ruleOff(currency) }),
        fc.record({ k: fc.constant("gift" as const), gift: item, min: fc.option(perCurrency(currency), { nil: null }), trig: fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 2 }) }),
      ).map((r) => {
        const items = (list: { p: number; q: number }[]) => list.map((i) => ({ p: gid("Product", i.p), v: null, q: i.q }));
        if (r.k === "fbt") return { ...r, items: items(r.items), id: "", r: 0 };
        if (r.k === "gift") return { ...r, gift: items([r.gift])[0]!, trig: r.trig.map((p) => gid("Product", p)), id: "", r: 0 };
        return { ...r, id: "", r: 0 };
      });
      return fc.record({
        currency: fc.constant(currency),
        rules: fc.array(fc.record({ rule, on: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 2 }) }), { minLength: 1, maxLength: 5 }),
        lines: fc.array(fc.record({ product: fc.integer({ min: 1, max: 4 }), variant: fc.integer({ min: 1, max: 2 }), quantity: fc.integer({ min: 1, max: 4 }), unit: unitPrice(currency) }), { minLength: 1, maxLength: 8 }),
      });
    });
    fc.assert(
      fc.property(cart, ({ currency, rules, lines }) => {
        const contract = rules.map(({ rule, on }, r) => ({ rule: { ...rule, id: `offer-${r}`, r }, on }));
        const built = lines.map((l, i) => discountLine({
          line: i + 1, product: l.product, variant: l.product * 10 + l.variant, quantity: l.quantity, unit: l.unit, currency,
          discounts: { v: 1, rules: contract.filter((c) => c.on.includes(l.product)).map((c) => c.rule) },
        }));
        const output = discountRun(discountInput(built, { currency }) as never);
        expect(validateOutput(discountSchema, "CartLinesDiscountsGenerateRunResult", output)).toEqual([]);
        const result = applied(output, built, currency);
        for (const line of result.lines.values()) expect(line.units).toBeLessThanOrEqual(line.quantity);
        for (const a of result.amounts) {
          expect(a.amount).toBeGreaterThan(0);
          expect(a.amount).toBeLessThanOrEqual(a.worth);
        }
        if (result.amounts.length) expect(result.strategy).toBe("ALL");
      }),
      { numRuns: 400 },
    );
  });
});

describe("metafields the Functions cannot use", () => {
  // A rule-shaped value with any field replaced by arbitrary JSON: what a hand edit or an older
  // sync could leave. The Functions must not throw (Shopify would then apply none of them).
  const mangled = <T extends Record<string, unknown>>(base: T) =>
    fc.record({ key: fc.constantFrom(...Object.keys(base)), value: fc.jsonValue() }).map(({ key, value }) => ({ ...base, [key]: value }));
  const fixedRule = { k: "fixed", id: "o1", r: 0, items: [{ p: gid("Product", 1), v: null, q: 1 }, { p: gid("Product", 2), v: null, q: 1 }], off: { amt: { EUR: 500 } }, pv: gid("ProductVariant", 9), title: "B", img: null };
  const tierRule = { k: "tiers", id: "o2", r: 0, tiers: [{ min: 1, off: { amt: { EUR: 100 } } }] };
  const fbtRule = { k: "fbt", id: "o3", r: 1, items: [{ p: gid("Product", 1), v: null, q: 1 }, { p: gid("Product", 2), v: null, q: 1 }], off: { fix: { EUR: 1000 } } };
  const giftRule = { k: "gift", id: "o4", r: 2, gift: { p: gid("Product", 2), v: null, q: 1 }, min: { EUR: 0 }, trig: [] };

  it("never make either Function throw, and their output stays valid", () => {
    const junk = fc.oneof(fc.jsonValue(), mangled(fixedRule), mangled(tierRule), mangled(fbtRule), mangled(giftRule));
    fc.assert(
      fc.property(junk, junk, fc.jsonValue(), (a, b, parent) => {
        const tInput = transformInput([
          transformLine({ line: 1, product: 1, variant: 11, quantity: 2, unit: 1000, currency: "EUR", bundles: { v: 1, rules: [a, b] } as never }),
          transformLine({ line: 2, product: 2, variant: 21, quantity: 1, unit: 500, currency: "EUR", bundles: { v: 1, rules: [fixedRule] } as never }),
          transformLine({ line: 3, product: 3, variant: 31, quantity: 1, unit: 500, currency: "EUR", bundle: parent as never }),
        ]);
        expect(validateOutput(transformSchema, "CartTransformRunResult", transformRun(tInput as never))).toEqual([]);
        const dInput = discountInput([
          discountLine({ line: 1, product: 1, variant: 11, quantity: 2, unit: 1000, currency: "EUR", discounts: { v: 1, rules: [a, b] } as never }),
          discountLine({ line: 2, product: 2, variant: 21, quantity: 1, unit: 500, currency: "EUR", discounts: { v: 1, rules: [tierRule, fbtRule, giftRule] } as never }),
        ], { currency: "EUR", settings: { v: 1, tags: [], messages: parent as never } });
        expect(validateOutput(discountSchema, "CartLinesDiscountsGenerateRunResult", discountRun(dInput as never))).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });
});

describe("QuickJS agrees with Node", () => {
  let transform: LoadedFunction;
  let discount: LoadedFunction;
  beforeAll(async () => {
    transform = await loadFunction(path.join(root, "extensions", "bundle-transform"));
    discount = await loadFunction(path.join(root, "extensions", "bundle-discount"));
  });

  it("on random bundle carts", () => {
    fc.assert(
      fc.property(bundleCart, ({ currency, rules }) => {
        const lines = bundleLines(rules);
        const fixed = rules.map((rule, r) => ({ k: "fixed" as const, id: `offer-${r}`, r, off: rule.off, pv: gid("ProductVariant", 9000 + r), title: `B${r}`, img: null, items: rule.items.map((item, i) => ({ p: gid("Product", 100 * (r + 1) + i), v: null, q: item.q })) }));
        const fbt: DiscountRule[] = fixed.map(({ id, r, off, items }) => ({ k: "fbt", id, r, off, items }));
        const tInput = transformInput(lines.map((l, n) => transformLine({ line: n + 1, product: l.product, variant: l.product * 10, quantity: l.quantity, unit: l.unit, currency, bundles: { v: 1, rules: [fixed[l.rule]!] } })));
        const dInput = discountInput(lines.map((l, n) => discountLine({ line: n + 1, product: l.product, variant: l.product * 10, quantity: l.quantity, unit: l.unit, currency, discounts: { v: 1, rules: [fbt[l.rule]!] } })), { currency, language: "FR" });
        expect(transform.run(tInput).output).toEqual(transformRun(tInput as never));
        expect(discount.run(dInput).output).toEqual(discountRun(dInput as never));
      }),
      { numRuns: 40 },
    );
  });
});
