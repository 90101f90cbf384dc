import { describe, expect, it } from "vitest";
import type { Offer } from "~/offers/model";
import { attributeErrors, parseOfferDefinition } from "~/offers/validation";
import { phoneFbt, phoneLadder, targeting, P } from "./support/offers";

const definition = (offer: Offer): Record<string, unknown> => {
  const { id: _id, createdAt: _createdAt, ...rest } = offer;
  return rest;
};

describe("offer validation", () => {
  it("accepts well-formed bundles and ladders", () => {
    expect(parseOfferDefinition(definition(phoneFbt())).ok).toBe(true);
    expect(parseOfferDefinition(definition(phoneLadder())).ok).toBe(true);
  });

  it("names each bad field with a translatable message", () => {
    const bad = definition(phoneFbt({ name: " ", priority: 101, schedule: { startsAt: 10, endsAt: 5 }, content: [{ id: "a", weight: 60, title: "A", body: "" }] }));
    (bad.bundle as { companions: unknown[] }).companions = [{ productId: P(1), variantId: null, quantity: 0 }];
    const result = parseOfferDefinition(bad);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toMatchObject({
      name: "offers.errors.required",
      priority: "offers.errors.priority",
      "schedule.endsAt": "offers.errors.endsBeforeStart",
      content: "offers.errors.weightsSum",
      "bundle.companions.0.quantity": "offers.errors.quantity",
    });
  });

  it("rejects a companion that is the anchor, a ladder of one rung, and a funnel shown before payment", () => {
    const selfCompanion = definition(phoneFbt());
    (selfCompanion.bundle as { companions: unknown[] }).companions = [{ productId: P(1), variantId: null, quantity: 1 }];
    expect(parseOfferDefinition(selfCompanion)).toMatchObject({ ok: false, errors: { "bundle.companions": "offers.errors.anchorIsCompanion" } });
    const short = definition(phoneLadder());
    short.rungs = (short.rungs as unknown[]).slice(0, 1);
    expect(parseOfferDefinition(short)).toMatchObject({ ok: false, errors: { rungs: "offers.errors.rungsRequired" } });
    const step = { item: { productId: P(3), variantId: null, quantity: 1 }, discount: { type: "none" }, headline: "h", accept: null, decline: null };
    const funnel = { ...definition(phoneFbt()), kind: "funnel", bundle: undefined, root: step, targeting: targeting({ placements: ["cart"] }) };
    expect(parseOfferDefinition(funnel)).toMatchObject({ ok: false, errors: { "targeting.placements": "offers.errors.placementForKind" } });
  });

  it("lets a bundle learn its companions, within the five a bundle can hold", () => {
    const bundle = (companions: number, learned?: number) => {
      const d = definition(phoneFbt());
      const spec = d.bundle as { companions: unknown[]; learned?: number };
      spec.companions = Array.from({ length: companions }, (_, i) => ({ productId: P(10 + i), variantId: null, quantity: 1 }));
      if (learned === undefined) delete spec.learned;
      else spec.learned = learned;
      return parseOfferDefinition(d);
    };
    expect(bundle(0, 3).ok).toBe(true); // learned only
    expect(bundle(2, 0).ok).toBe(true); // the merchant's only
    const older = bundle(2);
    expect(older.ok && older.offer.kind === "bundle" && older.offer.bundle.type === "fbt" && older.offer.bundle.learned).toBe(0);
    expect(bundle(0, 0)).toMatchObject({ ok: false, errors: { "bundle.companions": "offers.errors.companionsRequired" } });
    expect(bundle(4, 2)).toMatchObject({ ok: false, errors: { "bundle.learned": "offers.errors.tooManyCompanions" } });
  });

  it("lets ladders and funnel steps learn from the orders, and says what is missing otherwise", () => {
    const ladder = (rungs: number, learned: boolean) => {
      const d = definition(phoneLadder());
      d.rungs = (d.rungs as unknown[]).slice(0, rungs);
      d.learned = learned;
      return parseOfferDefinition(d);
    };
    expect(ladder(0, true).ok).toBe(true);
    expect(ladder(3, true).ok).toBe(true);
    expect(ladder(1, true)).toMatchObject({ ok: false, errors: { rungs: "offers.errors.rungsRequired" } });
    expect(ladder(0, false)).toMatchObject({ ok: false, errors: { rungs: "offers.errors.rungsRequired" } });
    const base = { ...definition(phoneFbt()), kind: "funnel", targeting: targeting({ placements: ["post_purchase"] }) };
    const step = (productId: string, learned?: boolean) => ({ item: { productId, variantId: null, quantity: 1 }, ...(learned === undefined ? {} : { learned }), discount: { type: "none" }, headline: "h", accept: null, decline: null });
    expect(parseOfferDefinition({ ...base, root: step("", true) }).ok).toBe(true);
    expect(parseOfferDefinition({ ...base, root: step("") })).toMatchObject({ ok: false, errors: { "root.item.productId": "offers.errors.required" } });
  });

  it("limits a funnel to three steps in a row", () => {
    const step = (next: unknown) => ({ item: { productId: P(3), variantId: null, quantity: 1 }, discount: { type: "none" }, headline: "h", accept: next, decline: null });
    const base = { ...definition(phoneFbt()), kind: "funnel", targeting: targeting({ placements: ["post_purchase"] }) };
    expect(parseOfferDefinition({ ...base, root: step(step(step(null))) }).ok).toBe(true);
    expect(parseOfferDefinition({ ...base, root: step(step(step(step(null)))) })).toMatchObject({ ok: false, errors: { root: "offers.errors.funnelTooDeep" } });
  });

  it("refuses dates no computer can show, text with a lone surrogate, and nesting no offer has", () => {
    const far = parseOfferDefinition(definition(phoneFbt({ schedule: { startsAt: 1e20, endsAt: null } })));
    expect(far).toEqual({ ok: false, errors: { "schedule.startsAt": "offers.errors.date" } });
    expect(parseOfferDefinition(definition(phoneFbt({ schedule: { startsAt: Date.UTC(9999, 11, 31), endsAt: null } }))).ok).toBe(true);
    for (const broken of ["\ud800", "x\udc00", "\udc00\ud800"]) {
      expect(parseOfferDefinition(definition(phoneFbt({ name: `Bundle ${broken}` }))), broken).toEqual({ ok: false, errors: { name: "offers.errors.invalidText" } });
    }
    expect(parseOfferDefinition(definition(phoneFbt({ name: "Bundle 😀 ✓" }))).ok).toBe(true);
    let deep: unknown = "x";
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(parseOfferDefinition({ ...definition(phoneFbt()), content: deep })).toEqual({ ok: false, errors: { content: "offers.errors.tooDeep" } });
  });

  it("names a number the merchant left unreadable (NaN in the form, null once sent) as the field's own problem", () => {
    for (const basisPoints of [Number.NaN, null]) {
      const bad = definition(phoneFbt());
      (bad.bundle as { discount: unknown }).discount = { type: "percentage", basisPoints };
      expect(parseOfferDefinition(bad)).toEqual({ ok: false, errors: { "bundle.discount.basisPoints": "offers.errors.percentage" } });
    }
  });

  it("gives each error to the field that shows it, one per field, the rest to the form", () => {
    const fields = new Set(["name", "targeting.products.tags", "bundle.companions", "bundle.companions.0.quantity"]);
    const errors = {
      name: "offers.errors.required",
      "targeting.products.tags.3": "offers.errors.tooLong",
      "targeting.products.tags.5": "offers.errors.tooLong",
      "bundle.companions.0.quantity": "offers.errors.quantity",
      "bundle.companions.1.productId": "offers.errors.required",
      kind: "offers.errors.badRequest",
    };
    expect(attributeErrors(errors, (path) => fields.has(path))).toEqual({
      name: "offers.errors.required",
      "targeting.products.tags": "offers.errors.tooLong",
      "bundle.companions.0.quantity": "offers.errors.quantity",
      "bundle.companions": "offers.errors.required",
      "": "offers.errors.badRequest",
    });
  });
});
