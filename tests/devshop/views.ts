// Store documents shaped as Admin GraphQL objects (for the resolvers) and as REST JSON
// (for webhook payloads). graphql-js calls function-valued properties with the field's
// arguments, which is how connections get their `first`/`after`/`query`.
import type { Collection, Customer, Metafield, Order, OrderLine, Product, Store, Variant } from "./store.ts";
import { marketForCountry, marketsOf, presentmentPrice } from "./markets.ts";

export interface ResolveContext {
  store: Store;
  /** Where the stand-in is reachable, for URLs it hands out (images, bulk results). */
  publicUrl: string;
  /** Bulk operations read every record: connections ignore `first`. */
  bulk: boolean;
}

export const gid = (type: string, id: number | string) => `gid://shopify/${type}/${id}`;
export const idOf = (value: string): number => Number(value.split("/").pop());

/** Minor units to Shopify's decimal Money string. */
export const money = (minor: number) => (minor / 100).toFixed(2);
const moneyBag = (minor: number, currency: string) => ({
  shopMoney: { amount: money(minor), currencyCode: currency },
  presentmentMoney: { amount: money(minor), currencyCode: currency },
});

interface ConnectionArgs { first?: number; last?: number; after?: string; before?: string; query?: string; reverse?: boolean }

const cursorOf = (id: number) => Buffer.from(JSON.stringify({ last_id: id })).toString("base64");
const cursorId = (cursor: string): number => Number(JSON.parse(Buffer.from(cursor, "base64").toString("utf8")).last_id);

/** Shopify's search syntax, the subset the app uses: `field:value`, `field:>value`, `field:>=value`. */
export function matchesQuery(fields: Record<string, string | number | string[] | null>, query: string | undefined): boolean {
  if (!query?.trim()) return true;
  return query.trim().split(/\s+(?:AND\s+)?/).every((term) => {
    const m = /^(\w+):(>=|<=|>|<)?'?([^']*)'?$/.exec(term);
    if (!m) return true;
    const [, field, op, raw] = m;
    const actual = fields[field!];
    if (actual === undefined) return true;
    if (actual === null) return false;
    if (Array.isArray(actual)) return actual.map((a) => a.toLowerCase()).includes(raw!.toLowerCase());
    const value = typeof actual === "number" ? Number(raw) : raw!;
    const a = typeof actual === "string" ? actual.toLowerCase() : actual;
    const b = typeof value === "string" ? value.toLowerCase() : value;
    switch (op) {
      case ">": return a > b;
      case ">=": return a >= b;
      case "<": return a < b;
      case "<=": return a <= b;
      default: return a === b;
    }
  });
}

export function connection<T extends { id: number }, V>(
  items: T[], args: ConnectionArgs, ctx: ResolveContext, view: (item: T) => V,
) {
  let list = [...items].sort((a, b) => a.id - b.id);
  if (args.reverse) list.reverse();
  if (args.after) {
    const after = cursorId(args.after);
    list = list.filter((item) => (args.reverse ? item.id < after : item.id > after));
  }
  const size = ctx.bulk ? list.length : (args.first ?? args.last ?? 0);
  const page = list.slice(0, size);
  const nodes = page.map(view);
  return {
    nodes,
    edges: page.map((item, i) => ({ cursor: cursorOf(item.id), node: nodes[i] })),
    pageInfo: {
      hasNextPage: list.length > page.length,
      hasPreviousPage: !!args.after,
      startCursor: page[0] ? cursorOf(page[0].id) : null,
      endCursor: page.at(-1) ? cursorOf(page.at(-1)!.id) : null,
    },
  };
}

const count = (n: number) => ({ count: n, precision: "EXACT" });

export function variantView(v: Variant, p: Product, ctx: ResolveContext) {
  const currency = ctx.store.shop?.currency ?? "EUR";
  return {
    __typename: "ProductVariant", id: gid("ProductVariant", v.id), legacyResourceId: String(v.id), title: v.title, displayName: `${p.title} - ${v.title}`,
    sku: v.sku, price: money(v.price), compareAtPrice: v.compareAtPrice === null ? null : money(v.compareAtPrice),
    inventoryQuantity: v.inventoryQuantity, availableForSale: v.inventoryQuantity > 0, selectedOptions: v.options, position: v.position,
    product: () => productView(p, ctx), createdAt: p.createdAt, updatedAt: p.updatedAt, currencyCode: currency,
    requiresComponents: v.requiresComponents ?? false,
    productVariantComponents: (args: ConnectionArgs) => connection((v.components ?? []).map((c, i) => ({ id: i + 1, c })), args, ctx, ({ c }) => {
      const child = [...ctx.store.products.values()].find((x) => x.variants.some((y) => y.id === c.variantId));
      const variant = child?.variants.find((y) => y.id === c.variantId);
      return { __typename: "ProductVariantComponent", id: gid("ProductVariantComponent", `${v.id}${c.variantId}`), quantity: c.quantity, productVariant: child && variant ? variantView(variant, child, ctx) : null };
    }),
    ...ownedMetafields(gid("ProductVariant", v.id), ctx),
    // The price a buyer in `country` pays: its market's currency, rate and rounding (markets.ts).
    contextualPricing: ({ context }: { context: { country?: string | null } }) => {
      const shop = ctx.store.shop!;
      const market = marketForCountry(shop, context.country);
      const price = (minor: number) => ({ amount: money(presentmentPrice(minor, market.currency, shop.currency)), currencyCode: market.currency });
      return { price: price(v.price), compareAtPrice: v.compareAtPrice === null ? null : price(v.compareAtPrice), unitPrice: null };
    },
  };
}

/** HasMetafields' `metafield` and `metafields`, over the owner's metafields in the store. */
export function ownedMetafields(ownerId: string, ctx: ResolveContext) {
  return {
    metafield: ({ namespace, key }: { namespace?: string; key: string }) => {
      const index = ctx.store.metafields(ownerId).findIndex((m) => m.namespace === resolveNamespace(namespace ?? "$app") && m.key === key);
      return index < 0 ? null : metafieldView(ownerId, ctx.store.metafields(ownerId)[index]!, index);
    },
    metafields: (args: ConnectionArgs & { namespace?: string }) => {
      // Numbered in store order, so connection() can page them like any other record.
      const numbered = ctx.store.metafields(ownerId).map((m, index) => ({ id: index + 1, m }));
      const wanted = numbered.filter(({ m }) => !args.namespace || m.namespace === resolveNamespace(args.namespace));
      return connection(wanted, args, ctx, ({ id, m }) => metafieldView(ownerId, m, id - 1));
    },
  };
}

function metafieldView(ownerId: string, m: Metafield, index: number) {
  return {
    __typename: "Metafield", id: gid("Metafield", `${idOf(ownerId)}${index}`), namespace: m.namespace, key: m.key, type: m.type, value: m.value,
    jsonValue: m.type === "json" ? JSON.parse(m.value) : m.value, updatedAt: m.updatedAt, createdAt: m.updatedAt, ownerType: ownerId.split("/")[3]?.toUpperCase(),
  };
}

export function productView(p: Product, ctx: ResolveContext): Record<string, unknown> {
  const ownerId = gid("Product", p.id);
  const collections = [...ctx.store.collections.values()].filter((c) => c.productIds.includes(p.id));
  const prices = p.variants.map((v) => v.price);
  const currency = ctx.store.shop?.currency ?? "EUR";
  return {
    __typename: "Product", id: ownerId, legacyResourceId: String(p.id), title: p.title, handle: p.handle, status: p.status, vendor: p.vendor,
    productType: p.productType, tags: p.tags, description: p.description, descriptionHtml: `<p>${p.description}</p>`,
    createdAt: p.createdAt, updatedAt: p.updatedAt, publishedAt: p.createdAt, onlineStoreUrl: null,
    totalInventory: p.variants.reduce((n, v) => n + v.inventoryQuantity, 0), tracksInventory: true, hasOnlyDefaultVariant: p.variants.length === 1 && p.variants[0]!.title === "Default Title",
    options: p.options.map((o, i) => ({ id: gid("ProductOption", `${p.id}${i}`), name: o.name, position: i + 1, values: o.values, optionValues: o.values.map((v, j) => ({ id: gid("ProductOptionValue", `${p.id}${i}${j}`), name: v, hasVariants: true })) })),
    variants: (args: ConnectionArgs) => connection(p.variants, args, ctx, (v) => variantView(v, p, ctx)),
    variantsCount: count(p.variants.length),
    collections: (args: ConnectionArgs) => connection(collections, args, ctx, (c) => collectionView(c, ctx)),
    featuredMedia: () => {
      const image = { id: gid("ImageSource", p.id), url: productImageUrl(ctx.publicUrl, p.id), altText: p.title, width: 600, height: 600 };
      return { __typename: "MediaImage", id: gid("MediaImage", p.id), alt: p.title, mediaContentType: "IMAGE", status: "READY", image, preview: { image, status: "READY" } };
    },
    priceRangeV2: { minVariantPrice: { amount: money(Math.min(...prices)), currencyCode: currency }, maxVariantPrice: { amount: money(Math.max(...prices)), currencyCode: currency } },
    ...ownedMetafields(ownerId, ctx),
  };
}

export function collectionView(c: Collection, ctx: ResolveContext): Record<string, unknown> {
  const products = c.productIds.map((id) => ctx.store.products.get(id)).filter((p): p is Product => !!p);
  return {
    __typename: "Collection", id: gid("Collection", c.id), legacyResourceId: String(c.id), title: c.title, handle: c.handle,
    // The store keeps no collection timestamps; the epoch is at least stable.
    updatedAt: new Date(0).toISOString(), productsCount: count(products.length),
    products: (args: ConnectionArgs) => connection(products, args, ctx, (p) => productView(p, ctx)),
  };
}

export function customerView(c: Customer, ctx: ResolveContext): Record<string, unknown> {
  return {
    __typename: "Customer", id: gid("Customer", c.id), legacyResourceId: String(c.id), firstName: c.firstName, lastName: c.lastName,
    displayName: `${c.firstName} ${c.lastName}`, email: c.email, tags: c.tags, createdAt: c.createdAt, updatedAt: c.createdAt,
    numberOfOrders: () => String([...ctx.store.orders.values()].filter((o) => o.customerId === c.id).length),
  };
}

export function orderView(o: Order, ctx: ResolveContext): Record<string, unknown> {
  const discountOf = (l: OrderLine) => (l.discountAllocations ?? []).reduce((n, a) => n + a.amount, 0);
  const discounts = o.lines.reduce((n, l) => n + discountOf(l), 0);
  const total = o.lines.reduce((n, l) => n + l.price * l.quantity, 0) - discounts;
  // What is left after refunds: the remaining units at their price, less their share of the line's discount.
  const current = o.lines.reduce((n, l) => n + l.price * l.currentQuantity - Math.round((discountOf(l) * l.currentQuantity) / l.quantity), 0);
  const customer = o.customerId ? ctx.store.customers.get(o.customerId) : undefined;
  const lines = o.lines.map((l) => ({ ...l }));
  // The checkout's automatic discounts, as Order.discountApplications and DiscountAllocation name them.
  const applications = (o.discountApplications ?? []).map((a, index) => ({
    __typename: "AutomaticDiscountApplication", index, title: a.title, targetType: "LINE_ITEM", targetSelection: "ENTITLED",
    allocationMethod: a.allocationMethod === "each" ? "EACH" : "ACROSS",
    value: a.valueType === "percentage" ? { __typename: "PricingPercentageValue", percentage: Number(a.value) } : { __typename: "MoneyV2", amount: a.value, currencyCode: o.presentmentCurrency ?? o.currency },
  }));
  const lineItem = (l: OrderLine) => {
    const product = ctx.store.products.get(l.productId);
    const variant = product?.variants.find((v) => v.id === l.variantId);
    return {
      __typename: "LineItem", id: gid("LineItem", l.id), title: l.title, name: l.title, quantity: l.quantity, currentQuantity: l.currentQuantity,
      sku: variant?.sku ?? null, originalUnitPriceSet: moneyBag(l.price, o.currency),
      customAttributes: (l.properties ?? []).map((p) => ({ __typename: "Attribute", key: p.name, value: p.value })),
      product: product ? productView(product, ctx) : null, variant: product && variant ? variantView(variant, product, ctx) : null,
      totalDiscountSet: moneyBag(discountOf(l), o.currency),
      discountedUnitPriceAfterAllDiscountsSet: moneyBag(l.price - Math.round(discountOf(l) / l.quantity), o.currency),
      discountAllocations: (l.discountAllocations ?? []).map((a) => ({ allocatedAmountSet: moneyBag(a.amount, o.currency), allocatedAmount: { amount: money(a.amount), currencyCode: o.currency }, discountApplication: applications[a.application] })),
      lineItemGroup: (() => {
        const group = o.lineItemGroups?.find((g) => g.id === l.groupId);
        return group ? {
          __typename: "LineItemGroup", id: gid("LineItemGroup", group.id), title: group.title, quantity: group.quantity, productId: gid("Product", group.productId),
          variantId: gid("ProductVariant", group.variantId), variantSku: null, customAttributes: group.properties.map((p) => ({ __typename: "Attribute", key: p.name, value: p.value })),
        } : null;
      })(),
    };
  };
  // What was refunded (quantity no longer current), as one refund: the store keeps the
  // quantities, not each refund or its date, so the refund carries the order's date.
  const refunded = lines.filter((l) => l.currentQuantity < l.quantity && !o.cancelledAt);
  const refunds = refunded.length
    ? [{
        __typename: "Refund", id: gid("Refund", o.id), createdAt: o.createdAt, note: null,
        totalRefundedSet: moneyBag(refunded.reduce((n, l) => n + l.price * (l.quantity - l.currentQuantity), 0), o.currency),
        refundLineItems: (args: ConnectionArgs) => connection(refunded, args, ctx, (l) => ({
          __typename: "RefundLineItem", id: gid("RefundLineItem", l.id), lineItem: lineItem(l), quantity: l.quantity - l.currentQuantity,
          restockType: "NO_RESTOCK", restocked: false, subtotalSet: moneyBag(l.price * (l.quantity - l.currentQuantity), o.currency), priceSet: moneyBag(l.price, o.currency),
        })),
      }]
    : [];
  return {
    __typename: "Order", id: gid("Order", o.id), legacyResourceId: String(o.id), name: o.name, createdAt: o.createdAt, processedAt: o.createdAt,
    updatedAt: o.cancelledAt ?? o.createdAt, cancelledAt: o.cancelledAt, cancelReason: o.cancelledAt ? "CUSTOMER" : null, test: false,
    currencyCode: o.currency, presentmentCurrencyCode: o.currency,
    totalPriceSet: moneyBag(total, o.currency), subtotalPriceSet: moneyBag(total, o.currency), currentTotalPriceSet: moneyBag(current, o.currency),
    totalDiscountsSet: moneyBag(discounts, o.currency),
    discountApplications: (args: ConnectionArgs) => connection(applications.map((a) => ({ ...a, id: a.index + 1 })), args, ctx, (a) => a),
    customer: () => (customer ? customerView(customer, ctx) : null),
    note: o.note ?? null, customAttributes: (o.noteAttributes ?? []).map((a) => ({ __typename: "Attribute", key: a.name, value: a.value })),
    lineItems: (args: ConnectionArgs) => connection(lines, args, ctx, lineItem),
    refunds: (args: { first?: number }) => refunds.slice(0, args.first ?? refunds.length),
  };
}

/** The installed app's id, as Shopify numbers apps. */
export const APP_ID = 7_000_001;

/**
 * `$app` namespaces belong to the calling app: Shopify stores `$app` as `app--<app id>` and
 * `$app:uplift` as `app--<app id>--uplift`.
 */
export function resolveNamespace(namespace: string): string {
  const match = /^\$app(?::(.+))?$/.exec(namespace);
  if (!match) return namespace;
  return match[1] ? `app--${APP_ID}--${match[1]}` : `app--${APP_ID}`;
}

export const productImageUrl = (publicUrl: string, productId: number) => `${publicUrl}/images/products/${productId}.svg`;

/** A product picture drawn from its title: a tile in a colour of its own with its initials. */
export function productImageSvg(p: Product): string {
  const hue = (p.id * 47) % 360;
  const initials = p.title.split(/\s+/).slice(0, 2).map((w) => w[0]?.toUpperCase() ?? "").join("").replace(/[^A-Z0-9]/g, "");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="600" viewBox="0 0 600 600" role="img" aria-label="${p.title.replace(/[<>&"]/g, "")}"><rect width="600" height="600" fill="hsl(${hue} 45% 88%)"/><text x="300" y="340" font-family="sans-serif" font-size="160" text-anchor="middle" fill="hsl(${hue} 45% 30%)">${initials}</text></svg>`;
}

/** The REST JSON Shopify sends in products/* webhooks. */
export function restProduct(p: Product, publicUrl?: string) {
  return {
    id: p.id, title: p.title, handle: p.handle, body_html: `<p>${p.description}</p>`, vendor: p.vendor, product_type: p.productType,
    status: p.status.toLowerCase(), tags: p.tags.join(", "), created_at: p.createdAt, updated_at: p.updatedAt,
    admin_graphql_api_id: gid("Product", p.id),
    options: p.options.map((o, i) => ({ name: o.name, position: i + 1, values: o.values })),
    variants: p.variants.map((v) => ({
      id: v.id, product_id: p.id, title: v.title, price: money(v.price), compare_at_price: v.compareAtPrice === null ? null : money(v.compareAtPrice),
      sku: v.sku, position: v.position, inventory_quantity: v.inventoryQuantity, option1: v.options[0]?.value ?? null,
      admin_graphql_api_id: gid("ProductVariant", v.id),
    })),
    image: publicUrl ? { src: productImageUrl(publicUrl, p.id), alt: p.title, width: 600, height: 600 } : null,
  };
}

/**
 * An order as REST webhooks (orders/create, orders/updated) carry it: numeric ids beside
 * admin_graphql_api_id, amounts as decimal strings, refunds with their refund_line_items.
 * The stand-in keeps only what is left of each line, so its refunds are one refund of the rest.
 */
export function restOrder(o: Order) {
  const refunded = o.lines.filter((l) => l.currentQuantity < l.quantity);
  const updatedAt = o.cancelledAt ?? new Date().toISOString();
  const presentment = o.presentmentCurrency ?? o.currency;
  // Amounts in the shop's currency with the shopper's beside them, as REST's *_set fields carry them.
  const set = (shop: number, shopper: number) => ({ shop_money: { amount: money(shop), currency_code: o.currency }, presentment_money: { amount: money(shopper), currency_code: presentment } });
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const lineDiscount = (l: OrderLine) => sum((l.discountAllocations ?? []).map((a) => a.amount));
  const linePresentmentDiscount = (l: OrderLine) => sum((l.discountAllocations ?? []).map((a) => a.presentmentAmount));
  const itemsPrice = sum(o.lines.map((l) => l.price * l.quantity));
  const itemsPresentment = sum(o.lines.map((l) => (l.presentmentPrice ?? l.price) * l.quantity));
  const discounts = sum(o.lines.map(lineDiscount));
  const presentmentDiscounts = sum(o.lines.map(linePresentmentDiscount));
  return {
    id: o.id, admin_graphql_api_id: gid("Order", o.id), name: o.name, created_at: o.createdAt, updated_at: updatedAt, cancelled_at: o.cancelledAt,
    currency: o.currency, presentment_currency: presentment,
    total_price: money(itemsPrice - discounts), total_price_set: set(itemsPrice - discounts, itemsPresentment - presentmentDiscounts),
    subtotal_price: money(itemsPrice - discounts), subtotal_price_set: set(itemsPrice - discounts, itemsPresentment - presentmentDiscounts),
    total_line_items_price: money(itemsPrice), total_line_items_price_set: set(itemsPrice, itemsPresentment),
    total_discounts: money(discounts), total_discounts_set: set(discounts, presentmentDiscounts),
    discount_applications: (o.discountApplications ?? []).map((a) => ({
      type: "automatic", title: a.title, description: a.description, value: a.value, value_type: a.valueType,
      allocation_method: a.allocationMethod, target_selection: "entitled", target_type: "line_item",
    })),
    customer: o.customerId ? { id: o.customerId, admin_graphql_api_id: gid("Customer", o.customerId) } : null,
    note: o.note ?? null, note_attributes: o.noteAttributes ?? [],
    line_items: o.lines.map((l) => ({
      id: l.id, admin_graphql_api_id: gid("LineItem", l.id), product_id: l.productId, variant_id: l.variantId, title: l.title,
      quantity: l.quantity, current_quantity: l.currentQuantity, price: money(l.price), price_set: set(l.price, l.presentmentPrice ?? l.price),
      properties: l.properties ?? [],
      total_discount: money(lineDiscount(l)), total_discount_set: set(lineDiscount(l), linePresentmentDiscount(l)),
      discount_allocations: (l.discountAllocations ?? []).map((a) => ({ amount: money(a.amount), amount_set: set(a.amount, a.presentmentAmount), discount_application_index: a.application })),
      // A bundle's component names its group (Shopify's REST field since 2025-01).
      sales_line_item_group_id: l.groupId ?? null,
    })),
    refunds: refunded.length
      ? [{ id: o.id, order_id: o.id, created_at: updatedAt, refund_line_items: refunded.map((l) => ({ id: l.id, line_item_id: l.id, quantity: l.quantity - l.currentQuantity })) }]
      : [],
  };
}

/** Shopify Markets' `Market`, as far as the app reads it: one region (a country) and its currency. */
export function marketView(m: ReturnType<typeof marketsOf>[number]) {
  const currency = { currencyCode: m.currency, currencyName: new Intl.DisplayNames(["en"], { type: "currency" }).of(m.currency), enabled: true, manualRate: null, rateUpdatedAt: null };
  const region = { __typename: "MarketRegionCountry", id: gid("MarketRegionCountry", m.id), name: m.name, code: m.country, currency };
  const regions = (args: ConnectionArgs) => connection([{ id: m.id, region }], args, { bulk: false } as ResolveContext, (r) => r.region);
  return {
    __typename: "Market", id: gid("Market", m.id), name: m.name, handle: m.handle, enabled: true, status: "ACTIVE", type: "REGION", primary: m.primary,
    currencySettings: { baseCurrency: currency, localCurrencies: false, roundingEnabled: true },
    conditions: { conditionTypes: ["REGION"], regionsCondition: { applicationLevel: "SPECIFIED", regions } },
    regions,
  };
}
