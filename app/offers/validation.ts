// The one gate every offer passes, from the admin form or an imported file: zod schemas
// whose messages are translation keys, so each field gets a message in the merchant's
// language, and nothing is written unless all of it is valid.
import { z } from "zod";
import {
  MAX_COMPANIONS,
  MAX_FUNNEL_DEPTH,
  PLACEMENTS,
  STORED_STATUSES,
  funnelDepth,
  type FunnelStep,
  type OfferDefinition,
} from "./model.ts";

const E = (key: string) => `offers.errors.${key}`;

/**
 * A lone UTF-16 surrogate is not text: JSON encoders, databases and browsers each reject or
 * mangle it differently (Prisma refused the whole row), so it is refused here, at the field.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const wellFormed = (s: string) => !LONE_SURROGATE.test(s);
const string = (message?: string) => z.string(message ? { message } : undefined).refine(wellFormed, E("invalidText"));
const id = string(E("required")).pipe(z.string().trim().min(1, E("required")).max(200, E("tooLong")));
const text = (max: number, min = 0) => string().pipe(z.string().trim().min(min, E("required")).max(max, E("tooLong")));
const currency = z.string().regex(/^[A-Z]{3}$/, E("currency"));
const minor = z.number({ message: E("amount") }).int(E("amount")).min(0, E("amount")).max(1e11, E("amount"));
const perCurrency = z.record(currency, minor).refine((m) => Object.keys(m).length > 0, E("currencyAmountRequired"));
/** A gift's threshold: a cart of 0 would earn it always, so each amount is above 0. */
const threshold = z.record(currency, z.number({ message: E("threshold") }).int(E("threshold")).min(1, E("threshold")).max(1e11, E("threshold")));
const ids = z.array(id).max(250, E("tooMany"));
const quantity = z.number({ message: E("quantity") }).int(E("quantity")).min(1, E("quantity")).max(99, E("quantity"));

const itemDiscount = z.discriminatedUnion("type", [
  z.object({ type: z.literal("none") }),
  z.object({ type: z.literal("percentage"), basisPoints: z.number({ message: E("percentage") }).int(E("percentage")).min(1, E("percentage")).max(10_000, E("percentage")) }),
  z.object({ type: z.literal("amount"), amounts: perCurrency }),
]);
const discount = z.discriminatedUnion("type", [...itemDiscount.options, z.object({ type: z.literal("fixed_price"), prices: perCurrency })]);

const itemRef = z.object({ productId: id, variantId: id.nullable(), quantity });

const distinctProducts = (items: { productId: string }[]) => new Set(items.map((i) => i.productId)).size === items.length;

const bundle = z
  .discriminatedUnion("type", [
    z.object({ type: z.literal("fixed"), items: z.array(itemRef).min(2, E("bundleItems")).max(10, E("tooMany")).refine(distinctProducts, E("duplicateProduct")), discount }),
    z.object({
      type: z.literal("mix_match"),
      productIds: ids,
      collectionIds: ids,
      minItems: z.number({ message: E("minItems") }).int(E("minItems")).min(1, E("minItems")).max(10, E("minItems")),
      maxItems: z.number({ message: E("maxItems") }).int(E("maxItems")).min(1, E("maxItems")).max(10, E("maxItems")),
      discount,
    }),
    z.object({
      type: z.literal("quantity_tiers"),
      tiers: z
        .array(z.object({ minQuantity: z.number({ message: E("tierQuantity") }).int(E("tierQuantity")).min(2, E("tierQuantity")).max(999, E("tierQuantity")), discount: itemDiscount }))
        .min(1, E("tiersRequired"))
        .max(5, E("tooMany"))
        .refine((tiers) => tiers.every((t, i) => i === 0 || t.minQuantity > tiers[i - 1]!.minQuantity), E("tiersOrder")),
    }),
    z.object({
      type: z.literal("fbt"),
      anchorProductId: id,
      companions: z.array(itemRef).max(MAX_COMPANIONS, E("tooMany")).refine(distinctProducts, E("duplicateProduct")),
      // Offers saved before learned companions existed had none.
      learned: z.number({ message: E("learned") }).int(E("learned")).min(0, E("learned")).max(MAX_COMPANIONS, E("learned")).default(0),
      discount,
    }),
    z.object({
      type: z.literal("gift"),
      gift: itemRef,
      // An empty set of amounts is no threshold (the editor's fields all left blank).
      minSubtotal: threshold.nullable().transform((m) => (m && Object.keys(m).length ? m : null)),
      triggerProductIds: ids.refine((list) => new Set(list).size === list.length, E("duplicateProduct")),
    }),
  ])
  // Rules across fields (zod 3 takes only plain objects inside a discriminated union).
  .superRefine((b, ctx) => {
    if (b.type === "mix_match" && b.productIds.length + b.collectionIds.length === 0) ctx.addIssue({ code: "custom", message: E("poolRequired"), path: ["productIds"] });
    if (b.type === "mix_match" && b.maxItems < b.minItems) ctx.addIssue({ code: "custom", message: E("maxBelowMin"), path: ["maxItems"] });
    if (b.type === "fbt" && b.companions.some((c) => c.productId === b.anchorProductId)) ctx.addIssue({ code: "custom", message: E("anchorIsCompanion"), path: ["companions"] });
    if (b.type === "fbt" && b.companions.length + b.learned === 0) ctx.addIssue({ code: "custom", message: E("companionsRequired"), path: ["companions"] });
    if (b.type === "gift" && !b.minSubtotal && !b.triggerProductIds.length) ctx.addIssue({ code: "custom", message: E("giftCondition"), path: ["minSubtotal"] });
    if (b.type === "gift" && b.triggerProductIds.includes(b.gift.productId)) ctx.addIssue({ code: "custom", message: E("giftIsTrigger"), path: ["triggerProductIds"] });
    if (b.type === "fbt" && b.companions.length + b.learned > MAX_COMPANIONS) ctx.addIssue({ code: "custom", message: E("tooManyCompanions"), path: ["learned"] });
  });

const rung = z.object({ productId: id, variantId: id.nullable(), gain: text(200) });

const funnelStep: z.ZodType<FunnelStep, z.ZodTypeDef, unknown> = z.lazy(() =>
  z
    .object({
      // A learned step may leave the product to the orders.
      item: itemRef.extend({ productId: string().pipe(z.string().trim().max(200, E("tooLong"))) }),
      learned: z.boolean().default(false),
      discount: itemDiscount,
      headline: text(120, 1),
      accept: funnelStep.nullable(),
      decline: funnelStep.nullable(),
    })
    .superRefine((step, ctx) => {
      if (!step.learned && !step.item.productId) ctx.addIssue({ code: "custom", message: E("required"), path: ["item", "productId"] });
    }),
);

const targeting = z.object({
  placements: z.array(z.enum(PLACEMENTS)).min(1, E("placementsRequired")),
  products: z.object({ productIds: ids, variantIds: ids, collectionIds: ids, tags: ids, vendors: ids, productTypes: ids }),
  subtotal: z.record(
    currency,
    z.object({ min: minor.nullable(), max: minor.nullable() }).refine((r) => r.min === null || r.max === null || r.max >= r.min, { message: E("maxBelowMin"), path: ["max"] }),
  ),
  customerTags: z.object({ include: ids, exclude: ids }),
  customerType: z.enum(["any", "first_time", "returning"]),
  currencies: z.array(currency),
  markets: ids,
  excludePurchased: z.boolean(),
});

const content = z
  .array(z.object({ id: z.string().regex(/^[a-z0-9_-]{1,20}$/, E("variantId")), weight: z.number({ message: E("weight") }).int(E("weight")).min(1, E("weight")).max(100, E("weight")), title: text(120, 1), body: text(500) }))
  .min(1, E("required"))
  .max(4, E("tooMany"))
  .refine((variants) => new Set(variants.map((v) => v.id)).size === variants.length, E("duplicateVariant"))
  .refine((variants) => variants.reduce((sum, v) => sum + v.weight, 0) === 100, E("weightsSum"));

/** 9999-12-31T23:59:59.999Z: past it, dates cannot be stored or shown (1e20 ms was a 500). */
export const MAX_TIMESTAMP = 253_402_300_799_999;
const timestamp = z.number({ message: E("date") }).int(E("date")).min(0, E("date")).max(MAX_TIMESTAMP, E("date")).nullable();
const common = {
  name: text(120, 1),
  status: z.enum(STORED_STATUSES),
  priority: z.number({ message: E("priority") }).int(E("priority")).min(0, E("priority")).max(100, E("priority")),
  schedule: z.object({ startsAt: timestamp, endsAt: timestamp }).refine((s) => s.startsAt === null || s.endsAt === null || s.endsAt > s.startsAt, { message: E("endsBeforeStart"), path: ["endsAt"] }),
  targeting,
  content,
};

export const offerDefinitionSchema = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("bundle"), ...common, bundle }),
    z.object({
      kind: z.literal("upgrade"),
      ...common,
      rungs: z
        .array(rung)
        .max(6, E("tooMany"))
        .refine((rungs) => new Set(rungs.map((r) => `${r.productId}|${r.variantId}`)).size === rungs.length, E("duplicateRung")),
      learned: z.boolean().default(false),
      incentive: itemDiscount,
    }),
    z.object({ kind: z.literal("funnel"), ...common, root: funnelStep.refine((root) => funnelDepth(root) <= MAX_FUNNEL_DEPTH, E("funnelTooDeep")) }),
  ])
  // A ladder needs two rungs, unless it is learned only (no rungs at all).
  .refine((o) => o.kind !== "upgrade" || o.rungs.length >= 2 || (o.learned && o.rungs.length === 0), { message: E("rungsRequired"), path: ["rungs"] })
  // Funnels run after payment and only there; the other kinds never do.
  .refine((o) => o.targeting.placements.every((p) => (p === "post_purchase") === (o.kind === "funnel")), {
    message: E("placementForKind"),
    path: ["targeting", "placements"],
  });

/** Field path ("bundle.items.0.quantity") -> translation key of the first problem there. */
export type OfferErrors = Record<string, string>;

/**
 * Deeper than any offer can be (a funnel of MAX_FUNNEL_DEPTH steps is about 20 levels): the
 * schema walks recursively, and a funnel nested 5,000 deep overflowed the stack (a 500).
 */
const MAX_NESTING = 40;

/** The top-level field under which `input` nests deeper than `limit`, found without recursion; null when it does not. */
export function tooDeepAt(input: unknown, limit: number): string | null {
  const stack: { value: unknown; depth: number; field: string }[] = [{ value: input, depth: 0, field: "" }];
  while (stack.length) {
    const { value, depth, field } = stack.pop()!;
    if (depth > limit) return field;
    if (value && typeof value === "object") {
      for (const [key, child] of Object.entries(value)) stack.push({ value: child, depth: depth + 1, field: depth === 0 ? key : field });
    }
  }
  return null;
}

export function parseOfferDefinition(input: unknown): { ok: true; offer: OfferDefinition } | { ok: false; errors: OfferErrors } {
  const deep = tooDeepAt(input, MAX_NESTING);
  if (deep !== null) return { ok: false, errors: { [deep]: deep === "root" ? E("funnelTooDeep") : E("tooDeep") } };
  const parsed = offerDefinitionSchema.safeParse(input);
  if (parsed.success) return { ok: true, offer: parsed.data as OfferDefinition };
  return { ok: false, errors: issuesToErrors(parsed.error.issues) };
}

/**
 * Gives each error to the field that shows it: the field at its path, or else the nearest
 * field around it ("targeting.products.tags.3" is shown by the tags field). One message per
 * field, the first; "" collects what no field shows. The editor asks its page which paths
 * have a field, so the banner lists exactly the messages beside the fields.
 */
export function attributeErrors(errors: OfferErrors, hasField: (path: string) => boolean): OfferErrors {
  const shown: OfferErrors = {};
  for (const [path, key] of Object.entries(errors)) {
    let field = path;
    while (field && !hasField(field)) field = field.includes(".") ? field.slice(0, field.lastIndexOf(".")) : "";
    shown[field] ??= key;
  }
  return shown;
}

function issuesToErrors(issues: z.ZodIssue[]): OfferErrors {
  const errors: OfferErrors = {};
  for (const issue of issues) {
    const path = issue.path.join(".");
    errors[path] ??= issue.message.startsWith("offers.errors.") ? issue.message : E("invalid");
  }
  return errors;
}
