// Shopify's Liquid objects, built from the stand-in's state: shop, product (with its
// metafields), all_products, cart, request, app. Prices in the cart's currency.
import { Drop } from "liquidjs";
import type { Collection, Metafield, Product, Store } from "../store.ts";
import { APP_ID, gid, productImageUrl } from "../views.ts";
import { cartJson, type Cart, type Carts } from "./cart.ts";
import { marketForCurrency, marketsOf } from "../markets.ts";

/** `$app:uplift` as the extension writes it, for the namespace Shopify stores (app--ID--uplift). */
function liquidNamespaces(namespace: string): string[] {
  const m = new RegExp(`^app--${APP_ID}(?:--(.+))?$`).exec(namespace);
  if (!m) return [namespace];
  return [namespace, m[1] ? `$app:${m[1]}` : "$app"];
}

/**
 * `owner.metafields.namespace.key` -> { value, type }, json values parsed as Shopify does; a
 * `list.product_reference` value is the list of products it names (those on the storefront),
 * resolved when read, as references between products may go round in circles.
 */
export function metafieldsDrop(metafields: Metafield[], ctx?: PageContext): Record<string, Record<string, { value: unknown; type: string }>> {
  const result: Record<string, Record<string, { value: unknown; type: string }>> = {};
  for (const m of metafields) {
    const parsed = m.type === "json" || m.type.startsWith("list.") ? safeJson(m.value) : m.value;
    const field = m.type === "list.product_reference" && ctx
      ? { type: m.type, get value() { return productsNamed(parsed, ctx); } }
      : { value: parsed, type: m.type };
    for (const ns of liquidNamespaces(m.namespace)) (result[ns] ??= {})[m.key] = field;
  }
  return result;
}

function productsNamed(ids: unknown, ctx: PageContext) {
  if (!Array.isArray(ids)) return [];
  return ids.flatMap((id) => {
    const product = ctx.store.products.get(Number(String(id).split("/").pop()));
    return product?.status === "ACTIVE" ? [productDrop(product, ctx)] : [];
  });
}

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

export interface PageContext {
  store: Store;
  carts: Carts;
  publicUrl: string;
  locale: string;
  currency: string;
  /** "/" or "/fr/": Shopify.routes.root. */
  root: string;
  /** The page's path without the language prefix: "/products/x". */
  path: string;
}

export function productDrop(p: Product, ctx: PageContext) {
  const variants = p.variants.map((v) => ({
    id: v.id, title: v.title, price: ctx.carts.price(v.price, ctx.currency),
    compare_at_price: v.compareAtPrice === null ? null : ctx.carts.price(v.compareAtPrice, ctx.currency),
    available: v.inventoryQuantity > 0, sku: v.sku, option1: v.options[0]?.value ?? null,
  }));
  const image = { src: productImageUrl(ctx.publicUrl, p.id), alt: p.title, width: 600, height: 600 };
  return {
    id: p.id, title: p.title, handle: p.handle, vendor: p.vendor, type: p.productType, tags: p.tags, description: p.description,
    url: `${ctx.root}products/${p.handle}`, featured_image: image, images: [image],
    price: Math.min(...variants.map((v) => v.price)), available: variants.some((v) => v.available),
    has_only_default_variant: variants.length === 1 && variants[0]!.title === "Default Title",
    variants, selected_or_first_available_variant: variants.find((v) => v.available) ?? variants[0],
    metafields: metafieldsDrop(ctx.store.metafields(gid("Product", p.id)), ctx),
  };
}

/** Shopify's `collection`: its storefront products (the first `limit`), counted. */
export function collectionDrop(c: Collection, ctx: PageContext, limit: number) {
  const products = c.productIds.map((id) => ctx.store.products.get(id)).filter((p): p is Product => p?.status === "ACTIVE");
  return {
    id: c.id, title: c.title, handle: c.handle, url: `${ctx.root}collections/${c.handle}`,
    products: products.slice(0, limit).map((p) => productDrop(p, ctx)), products_count: products.length, all_products_count: products.length,
  };
}

/** all_products[handle]: Shopify's lookup of any product by its handle. */
class AllProducts extends Drop {
  private readonly byHandle: Map<string, Product>;
  private readonly ctx: PageContext;
  constructor(byHandle: Map<string, Product>, ctx: PageContext) {
    super();
    this.byHandle = byHandle;
    this.ctx = ctx;
  }
  override liquidMethodMissing(handle: string) {
    const product = this.byHandle.get(handle);
    return product ? productDrop(product, this.ctx) : null;
  }
}

export function cartDrop(cart: Cart | null, ctx: PageContext) {
  const json = cartJson(ctx.carts, cart, ctx.currency, ctx.publicUrl);
  return {
    ...json, currency: currencyDrop(ctx.currency, ctx.locale),
    items: json.items.map((item) => ({ ...item, product: productDrop(ctx.carts.variant(item.variant_id)!.product, ctx) })),
  };
}

/** The global objects every template, block and snippet sees. */
export function globals(ctx: PageContext, cart: Cart | null, pageType: string) {
  const shop = ctx.store.shop!;
  const byHandle = new Map([...ctx.store.products.values()].filter((p) => p.status === "ACTIVE").map((p) => [p.handle, p]));
  const appMetafields = ctx.store.db.prepare("SELECT owner_id FROM metafields WHERE owner_id LIKE '%/AppInstallation/%' LIMIT 1").get() as { owner_id: string } | undefined;
  return {
    shop: { name: shop.name, currency: shop.currency, permanent_domain: shop.domain, metafields: metafieldsDrop(ctx.store.metafields(gid("Shop", 1))) },
    app: { metafields: appMetafields ? metafieldsDrop(ctx.store.metafields(appMetafields.owner_id), ctx) : {} },
    request: { locale: { iso_code: ctx.locale }, path: `${ctx.root.slice(0, -1)}${ctx.path}`, page_type: pageType, host: new URL(ctx.publicUrl).host },
    routes: { root_url: ctx.root, cart_url: `${ctx.root}cart`, cart_add_url: `${ctx.root}cart/add`, cart_change_url: `${ctx.root}cart/change` },
    localization: localizationDrop(ctx),
    cart: cartDrop(cart, ctx),
    all_products: new AllProducts(byHandle, ctx),
  };
}

const currencyDrop = (iso_code: string, locale: string) => ({
  iso_code,
  symbol: new Intl.NumberFormat(locale, { style: "currency", currency: iso_code, currencyDisplay: "narrowSymbol" }).formatToParts(0).find((p) => p.type === "currency")?.value ?? iso_code,
  name: new Intl.DisplayNames([locale], { type: "currency" }).of(iso_code) ?? iso_code,
});

/** Shopify's `localization`: the shopper's country (its market's currency) and language, and those to choose from. */
export function localizationDrop(ctx: PageContext) {
  const countryName = new Intl.DisplayNames([ctx.locale], { type: "region" });
  const countries = marketsOf(ctx.store.shop!).map((m) => ({ iso_code: m.country, name: countryName.of(m.country) ?? m.name, currency: currencyDrop(m.currency, ctx.locale) }));
  const chosen = marketForCurrency(ctx.store.shop!, ctx.currency).country;
  return {
    country: countries.find((c) => c.iso_code === chosen)!, available_countries: countries,
    language: { iso_code: ctx.locale }, available_languages: [],
  };
}
