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

const metafield = (value: unknown) => (value === undefined ? null : { jsonValue: value });

export function transformLine(spec: LineSpec & { offer?: string; bundles?: ProductBundles; bundle?: ParentBundle }) {
  return {
    id: gid("CartLine", spec.line),
    quantity: spec.quantity,
    offer: spec.offer === undefined ? null : { value: spec.offer },
    cost: { amountPerQuantity: { amount: fromMinorUnits(spec.unit, spec.currency), currencyCode: spec.currency } },
    merchandise: {
      __typename: "ProductVariant",
      id: gid("ProductVariant", spec.variant),
      bundle: metafield(spec.bundle),
      product: { id: gid("Product", spec.product), bundles: metafield(spec.bundles) },
    },
  };
}

export const transformInput = (lines: ReturnType<typeof transformLine>[]) => ({ cart: { lines } });

export function discountLine(spec: LineSpec & { discounts?: ProductDiscounts }) {
  return {
    id: gid("CartLine", spec.line),
    quantity: spec.quantity,
    cost: { amountPerQuantity: { amount: fromMinorUnits(spec.unit, spec.currency), currencyCode: spec.currency } },
    merchandise: {
      __typename: "ProductVariant",
      id: gid("ProductVariant", spec.variant),
      product: { id: gid("Product", spec.product), discounts: metafield(spec.discounts) },
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
  options: { customerTags?: string[] | null; language?: string; settings?: DiscountSettings | null; classes?: string[] } = {},
) {
  const settings = options.settings === undefined ? DEFAULT_SETTINGS : options.settings;
  const customerTags = options.customerTags === undefined ? null : options.customerTags;
  return {
    cart: {
      // Shopify answers hasTags(tags: $tags) with one entry per tag the settings name.
      buyerIdentity: customerTags === null ? null : { customer: { hasTags: (settings?.tags ?? []).map((tag) => ({ tag, hasTag: customerTags.includes(tag) })) } },
      lines,
    },
    discount: { discountClasses: options.classes ?? ["PRODUCT"], settings: metafield(settings ?? undefined) },
    localization: { language: { isoCode: options.language ?? "EN" } },
  };
}
