// A Function's input, built as Shopify builds it: the Function's own input query
// (`src/run.graphql`) executed against the real Function input schema, with resolvers over the
// stand-in's checkout. Nothing is precomputed in a shape the Function might expect: a field the
// query does not ask for is not in the input, and a field the stand-in cannot answer fails the
// build loudly (it would otherwise hand the Function junk that Shopify never sends).
import { execute, GraphQLError, parse, validate, type GraphQLFieldResolver, type GraphQLSchema } from "graphql";
import type { Product, Store, Variant } from "../store.ts";
import { marketForCurrency } from "../markets.ts";
import { gid, idOf, resolveNamespace } from "../views.ts";

/** A cart line as the Function sees it: before the cart transform, or after it for a discount. */
export interface FunctionLine {
  /** `gid://shopify/CartLine/<n>`. */
  id: string;
  variantId: number;
  quantity: number;
  /** The line's attributes (Shopify's name for a cart line's properties). */
  attributes: Record<string, string>;
  /** The unit price in the checkout's currency, minor units, as the markets priced it (or a bundle's price). */
  amountPerQuantity: number;
  compareAtAmountPerQuantity: number | null;
}

/** What a Function runs over: the shop, the checkout's cart and buyer, and the Function's owner. */
export interface FunctionContext {
  /** The shop's own store (catalog, customers, metafields). */
  store: Store;
  currency: string;
  /** Storefront language, ISO 639-1 lower case ("en", "fr"). */
  language: string;
  lines: FunctionLine[];
  attributes: Record<string, string>;
  customerId: number | null;
  /** The cart transform or automatic discount running, whose metafields the query reads. */
  owner: { type: "CartTransform"; id: string } | { type: "DiscountAutomaticNode"; id: string; discountClasses: string[] };
}

/** Shopify leaves metafields over 10,000 bytes out of a Function's input (answers null). */
export const MAX_INPUT_METAFIELD_BYTES = 10_000;

/** Shopify's `Decimal` in Function input: a decimal string ("29.0", "31.99"). */
export function decimal(minor: number): string {
  const text = String(minor / 100);
  return text.includes(".") ? text : `${text}.0`;
}

/**
 * Resolves a field from the source's property of that name, calling it with the field's
 * arguments when it is a function. A property the source does not have is a field the stand-in
 * does not support: an error, never an undefined that graphql-js would turn into null.
 */
const strictResolver: GraphQLFieldResolver<unknown, unknown> = (source, args, _context, info) => {
  const value = (source as Record<string, unknown> | null)?.[info.fieldName];
  if (value === undefined) {
    throw new GraphQLError(`The stand-in's Function input does not support ${info.parentType.name}.${info.fieldName}.`);
  }
  return typeof value === "function" ? (value as (a: unknown) => unknown)(args) : value;
};

export class FunctionInputError extends Error {}

/**
 * Runs `query` (a Function's run.graphql) over the checkout. `variables` are the input
 * variables Shopify reads from the metafield named in the extension's
 * `[extensions.input.variables]` (see inputVariables). Throws FunctionInputError when the
 * query does not validate against `schema` or asks for something the stand-in cannot answer.
 */
export function buildFunctionInput(schema: GraphQLSchema, query: string, ctx: FunctionContext, variables: Record<string, unknown> = {}): Record<string, unknown> {
  const document = parse(query);
  const errors = validate(schema, document);
  if (errors.length) throw new FunctionInputError(`The input query does not validate: ${errors.map((e) => e.message).join("; ")}`);
  const result = execute({ schema, document, rootValue: inputRoot(ctx), variableValues: variables, fieldResolver: strictResolver, typeResolver: (value) => (value as { __typename: string }).__typename });
  if ("then" in result) throw new FunctionInputError("The Function input resolvers must be synchronous.");
  if (result.errors?.length) throw new FunctionInputError(`The stand-in could not build the Function's input: ${result.errors.map((e) => `${e.message} (${e.path?.join(".")})`).join("; ")}`);
  return result.data as Record<string, unknown>;
}

/**
 * The input variables: the JSON object in the owner's metafield `[extensions.input.variables]`
 * names, whose top-level keys are the variables (Shopify's rule). No metafield, no variables.
 */
export function inputVariables(store: Store, ownerId: string, declared: { namespace: string; key: string } | undefined): Record<string, unknown> {
  if (!declared) return {};
  const found = store.metafields(ownerId).find((m) => m.namespace === resolveNamespace(declared.namespace) && m.key === declared.key);
  if (!found) return {};
  const value: unknown = JSON.parse(found.value);
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function inputRoot(ctx: FunctionContext) {
  const { store } = ctx;
  const shop = store.shop!;
  const market = marketForCurrency(shop, ctx.currency);
  const moneyV2 = (minor: number) => ({ amount: decimal(minor), currencyCode: ctx.currency });
  const variants = new Map<number, { product: Product; variant: Variant }>();
  for (const product of store.products.values()) for (const variant of product.variants) variants.set(variant.id, { product, variant });

  const metafield = (ownerId: string) => ({ namespace, key }: { namespace?: string | null; key: string }) => {
    const wanted = resolveNamespace(namespace ?? "$app");
    const m = store.metafields(ownerId).find((x) => x.namespace === wanted && x.key === key);
    if (!m || Buffer.byteLength(m.value) > MAX_INPUT_METAFIELD_BYTES) return null;
    return { value: m.value, type: m.type, jsonValue: m.type === "json" || m.type.startsWith("list.") ? JSON.parse(m.value) : m.value };
  };
  const tags = (own: string[]) => ({
    hasAnyTag: ({ tags }: { tags: string[] }) => tags.some((t) => own.includes(t)),
    hasTags: ({ tags }: { tags: string[] }) => tags.map((tag) => ({ tag, hasTag: own.includes(tag) })),
  });
  const collections = (productId: number) => {
    const own = [...store.collections.values()].filter((c) => c.productIds.includes(productId)).map((c) => gid("Collection", c.id));
    return {
      inAnyCollection: ({ ids }: { ids: string[] }) => ids.some((id) => own.includes(id)),
      inCollections: ({ ids }: { ids: string[] }) => ids.map((collectionId) => ({ collectionId, isMember: own.includes(collectionId) })),
    };
  };
  const productView = (p: Product) => ({
    id: gid("Product", p.id), handle: p.handle, title: p.title, vendor: p.vendor, productType: p.productType, isGiftCard: false,
    metafield: metafield(gid("Product", p.id)), ...tags(p.tags), ...collections(p.id),
  });
  const merchandise = (variantId: number) => {
    const found = variants.get(variantId);
    if (!found) throw new GraphQLError(`No variant ${variantId} in the shop.`);
    const { product, variant } = found;
    return {
      __typename: "ProductVariant", id: gid("ProductVariant", variant.id), title: variant.title, sku: variant.sku || null, requiresShipping: true,
      weight: 0, weightUnit: "KILOGRAMS", product: productView(product), metafield: metafield(gid("ProductVariant", variant.id)), ...collections(product.id),
    };
  };
  const attribute = (attributes: Record<string, string>) => ({ key }: { key?: string | null }) =>
    key != null && key in attributes ? { key, value: attributes[key] } : null;

  const lines = ctx.lines.map((l) => ({
    id: l.id, quantity: l.quantity, attribute: attribute(l.attributes), merchandise: () => merchandise(l.variantId),
    cost: {
      amountPerQuantity: moneyV2(l.amountPerQuantity),
      compareAtAmountPerQuantity: l.compareAtAmountPerQuantity === null ? null : moneyV2(l.compareAtAmountPerQuantity),
      subtotalAmount: moneyV2(l.amountPerQuantity * l.quantity),
      // No discounts are applied when Functions run: the total is the subtotal (Shopify's
      // documented pitfall: the input's totals do not reflect other discounts).
      totalAmount: moneyV2(l.amountPerQuantity * l.quantity),
    },
    discountAllocations: [], parentRelationship: null, sellingPlanAllocation: null,
  }));
  const subtotal = ctx.lines.reduce((n, l) => n + l.amountPerQuantity * l.quantity, 0);
  const customer = ctx.customerId === null ? undefined : store.customers.get(ctx.customerId);
  const customerView = customer && {
    id: gid("Customer", customer.id), email: customer.email, firstName: customer.firstName, lastName: customer.lastName,
    displayName: `${customer.firstName} ${customer.lastName}`, metafield: metafield(gid("Customer", customer.id)), ...tags(customer.tags),
    numberOfOrders: [...store.orders.values()].filter((o) => o.customerId === customer.id).length,
  };
  const ownerView = ctx.owner.type === "CartTransform"
    ? { metafield: metafield(ctx.owner.id) }
    : { metafield: metafield(ctx.owner.id), discountClasses: ctx.owner.discountClasses };

  return {
    cart: {
      lines, attribute: attribute(ctx.attributes), metafield: () => null, billingAddress: null, retailLocation: null,
      buyerIdentity: customerView
        ? { customer: customerView, email: customer!.email, isAuthenticated: true, phone: null, purchasingCompany: null }
        : { customer: null, email: null, isAuthenticated: false, phone: null, purchasingCompany: null },
      cost: { subtotalAmount: moneyV2(subtotal), totalAmount: moneyV2(subtotal), totalDutyAmount: null, totalTaxAmount: null },
      discountApplications: [],
    },
    cartTransform: ctx.owner.type === "CartTransform" ? ownerView : undefined,
    discount: ctx.owner.type === "DiscountAutomaticNode" ? ownerView : undefined,
    localization: { country: { isoCode: market.country }, language: { isoCode: ctx.language.toUpperCase().replace("-", "_") } },
    presentmentCurrencyRate: String(market.rate),
    shop: { metafield: metafield(gid("Shop", shop.id ?? 1)) },
    enteredDiscountCodes: [], triggeringDiscountCode: null, fetchResult: null,
  };
}

export const lineGid = (n: number) => gid("CartLine", n);
export const lineNumber = (id: string) => idOf(id);
