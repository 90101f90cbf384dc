// Builders for the two Functions' inputs, shaped exactly as their run.graphql asks (the fixture
// tests check that shape against the query). Prices are decimal strings, as Shopify sends them.
import { fromMinorUnits } from "../../../app/catalog/money.ts";
import type { DiscountSettings, ParentBundle, ProductBundles, ProductDiscounts } from "../../../app/offers/function-config.ts";

export const gid = (type: string, n: number | string) => `gid://shopify/${type}/${n}`;

export interface LineSpec {
  line: number;
  product: number;
  variant: number;
  quantity: number;
  /** Unit price, minor units. */
  unit: number;
  currency: string;
}

const metafield = (value: unknown) => (value === undefined ? null : { j: value });

// The lines' keys are the queries' one-letter aliases (see the Functions' run.ts).
export function transformLine(spec: LineSpec & { offer?: string; bundles?: ProductBundles; bundle?: ParentBundle }) {
  return {
    i: gid("CartLine", spec.line),
    q: spec.quantity,
    o: spec.offer === undefined ? null : { v: spec.offer },
    c: { u: { a: fromMinorUnits(spec.unit, spec.currency), k: spec.currency } },
    m: {
      i: gid("ProductVariant", spec.variant),
      b: metafield(spec.bundle),
      p: { i: gid("Product", spec.product), r: metafield(spec.bundles) },
    },
  };
}

export const transformInput = (lines: ReturnType<typeof transformLine>[]) => ({ cart: { lines } });

/** A discount input's line: its currency (the cart's) is given again to discountInput, which asks for it once. */
export function discountLine(spec: LineSpec & { discounts?: ProductDiscounts }) {
  return {
    i: gid("CartLine", spec.line),
    q: spec.quantity,
    c: { u: { a: fromMinorUnits(spec.unit, spec.currency) } },
    m: {
      i: gid("ProductVariant", spec.variant),
      p: { i: gid("Product", spec.product), r: metafield(spec.discounts) },
    },
  };
}

export const DEFAULT_SETTINGS: DiscountSettings = {
  v: 1,
  tags: ["vip", "wholesale"],
  messages: {
    en: { tiers: "Volume discount", fbt: "Bundle discount", gift: "Free gift" },
    fr: { tiers: "Remise sur quantité", fbt: "Remise lot", gift: "Cadeau offert" },
  },
};

export function discountInput(
  lines: ReturnType<typeof discountLine>[],
  options: { currency: string; customerTags?: string[] | null; language?: string; settings?: DiscountSettings | null; classes?: string[] },
) {
  const settings = options.settings === undefined ? DEFAULT_SETTINGS : options.settings;
  const customerTags = options.customerTags === undefined ? null : options.customerTags;
  return {
    cart: {
      // Shopify answers hasTags(tags: $tags) with one entry per tag the settings name.
      buyerIdentity: customerTags === null ? null : { customer: { hasTags: (settings?.tags ?? []).map((tag) => ({ tag, hasTag: customerTags.includes(tag) })) } },
      cost: { subtotalAmount: { currencyCode: options.currency } },
      lines,
    },
    discount: { discountClasses: options.classes ?? ["PRODUCT"], settings: settings === null ? null : { jsonValue: settings } },
    localization: { language: { isoCode: options.language ?? "EN" } },
  };
}
