// The admin's resource picker (App Bridge's `shopify.resourcePicker`): what Shopify's admin
// lists and hands back. Resources have the shapes of @shopify/app-bridge-types (`Product`,
// `ProductVariant`, `Collection`: GraphQL ids, prices as decimal strings in the shop's
// currency, images as `{ id, altText, originalSrc }`); the admin frame (pages.ts) shows them.
import type { Collection as PickedCollection, Product as PickedProduct, ProductVariant as PickedVariant } from "@shopify/app-bridge-types";
import type { Collection, Product, Store, Variant } from "./store.ts";
import { gid, productImageUrl } from "./views.ts";

export type PickerType = "product" | "variant" | "collection";
export interface PickerQuery {
  type: PickerType;
  /** Search words over title, SKU, vendor and type (Shopify's picker searches much the same). */
  query: string;
  /** `filter.draft` / `filter.archived`: false leaves those products out. */
  draft: boolean;
  archived: boolean;
  /** Resources asked for by id (the picker's `selectionIds`, answered in full). */
  ids: string[];
}

const PAGE = 50;

const decimal = (minor: number, currency: string) => {
  const digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return (minor / 10 ** digits).toFixed(digits);
};

// Typed against App Bridge's own declarations; its enums are declared types only, hence the casts.
function variantResource(store: Store, p: Product, v: Variant, publicUrl: string): PickedVariant {
  const currency = store.shop?.currency ?? "USD";
  return {
    id: gid("ProductVariant", v.id), title: v.title, displayName: `${p.title} - ${v.title}`, sku: v.sku || null, price: decimal(v.price, currency),
    compareAtPrice: v.compareAtPrice === null ? null : decimal(v.compareAtPrice, currency), availableForSale: v.inventoryQuantity > 0,
    inventoryQuantity: v.inventoryQuantity, inventoryPolicy: "DENY" as PickedVariant["inventoryPolicy"], inventoryManagement: "SHOPIFY" as PickedVariant["inventoryManagement"], position: v.position,
    selectedOptions: v.options.map((o) => ({ name: o.name, value: o.value })), image: imageOf(p, publicUrl),
    inventoryItem: { id: gid("InventoryItem", v.id) }, requiresShipping: true, taxable: true, weight: null, weightUnit: "KILOGRAMS" as PickedVariant["weightUnit"],
    barcode: null, createdAt: p.createdAt, updatedAt: p.updatedAt, product: { id: gid("Product", p.id), title: p.title },
  };
}

const imageOf = (p: Product, publicUrl: string) => ({ id: gid("ProductImage", p.id), altText: p.title, originalSrc: productImageUrl(publicUrl, p.id) });

export function productResource(store: Store, p: Product, publicUrl: string): PickedProduct {
  const single = p.variants.length === 1 && p.variants[0]!.title === "Default Title";
  return {
    id: gid("Product", p.id), title: p.title, handle: p.handle, status: p.status as PickedProduct["status"], vendor: p.vendor, productType: p.productType, tags: p.tags,
    descriptionHtml: p.description, createdAt: p.createdAt, updatedAt: p.updatedAt, publishedAt: p.status === "ACTIVE" ? p.createdAt : null,
    hasOnlyDefaultVariant: single, totalVariants: p.variants.length, tracksInventory: true,
    totalInventory: p.variants.reduce((n, v) => n + v.inventoryQuantity, 0), availablePublicationCount: 1, templateSuffix: null,
    // Every stand-in product has its drawn image, as the Admin API's media show it (views.ts).
    images: [imageOf(p, publicUrl)],
    options: p.options.map((o, i) => ({ id: gid("ProductOption", p.id * 10 + i), name: o.name, position: i + 1, values: o.values })),
    variants: p.variants.map((v) => variantResource(store, p, v, publicUrl)),
  };
}

function collectionResource(c: Collection): PickedCollection {
  return {
    id: gid("Collection", c.id), title: c.title, handle: c.handle, description: "", descriptionHtml: "", image: null,
    productsCount: c.productIds.length, productsAutomaticallySortedCount: 0, productsManuallySortedCount: c.productIds.length,
    publicationCount: 1, availablePublicationCount: 1, sortOrder: "MANUAL" as PickedCollection["sortOrder"], seo: { title: null, description: null },
    storefrontId: Buffer.from(gid("Collection", c.id)).toString("base64"), templateSuffix: null, ruleSet: null, updatedAt: new Date(0).toISOString(),
  };
}

const words = (text: string) => text.toLowerCase().split(/\s+/).filter(Boolean);
const matches = (haystack: string, query: string) => words(query).every((w) => haystack.toLowerCase().includes(w));
const numericId = (id: string) => Number(/\/(\d+)$/.exec(id)?.[1] ?? Number.NaN);

/** What the picker lists for a search, or the resources named by `ids`: at most one page. */
export function pickerResources(store: Store, q: PickerQuery, publicUrl: string): unknown[] {
  if (q.type === "collection") {
    const wanted = new Set(q.ids.map(numericId));
    return [...store.collections.values()].filter((c) => (q.ids.length ? wanted.has(c.id) : matches(c.title, q.query))).slice(0, PAGE).map(collectionResource);
  }
  const listed = (p: Product) => (q.draft || p.status !== "DRAFT") && (q.archived || p.status !== "ARCHIVED");
  if (q.type === "variant") {
    const wanted = new Set(q.ids.map(numericId));
    return [...store.products.values()].filter(listed).flatMap((p) => p.variants.filter((v) => (q.ids.length ? wanted.has(v.id) : matches(`${p.title} ${v.title} ${v.sku}`, q.query))).map((v) => ({ ...variantResource(store, p, v, publicUrl), product: productResource(store, p, publicUrl) }))).slice(0, PAGE);
  }
  const wanted = new Set(q.ids.map(numericId));
  return [...store.products.values()]
    .filter((p) => listed(p) && (q.ids.length ? wanted.has(p.id) : matches(`${p.title} ${p.vendor} ${p.productType} ${p.variants.map((v) => v.sku).join(" ")}`, q.query)))
    .slice(0, PAGE)
    .map((p) => productResource(store, p, publicUrl));
}

/** The query string the admin frame sends, read strictly: anything else is a 400. */
export function parsePickerQuery(params: URLSearchParams): PickerQuery | null {
  const type = params.get("type");
  if (type !== "product" && type !== "variant" && type !== "collection") return null;
  const query = params.get("query") ?? "";
  const ids = params.getAll("id");
  if (query.length > 200 || ids.length > 250 || ids.some((id) => !/^gid:\/\/shopify\/\w+\/\d+$/.test(id))) return null;
  return { type, query, ids, draft: params.get("draft") !== "false", archived: params.get("archived") !== "false" };
}
