// Keeps what the checkout's Functions read in step with the offers, as part of the offer sync:
// the shop's Cart Transform and automatic app discount (created the first time), a parent
// product for each fixed or mix-and-match bundle, and the rules in app-owned metafields
// (function-rules.ts). State-based like the rest of the sync: every run recomputes what
// should be there and writes what differs, so a failed run is caught up by the next.
import { createHash } from "node:crypto";
import prisma, { atomically } from "~/db.server";
import { fromMinorUnits } from "~/catalog/money";
import { BUNDLE_PARENT_TAG } from "~/catalog/sold";
import { enqueueJob, type ClaimedJob } from "~/jobs/queue.server";
import { MESSAGES, LOCALES } from "~/i18n/locales";
import type { CatalogProduct, OfferCatalog } from "~/offers/catalog";
import {
  DISCOUNT_SETTINGS_KEY, FUNCTION_NAMESPACE, PARENT_BUNDLE_KEY, PRODUCT_BUNDLES_KEY, PRODUCT_DISCOUNTS_KEY, type DiscountSettings,
} from "~/offers/function-config";
import { discountSettings, functionRules, needsParent, parentBundle, type BundleOffer } from "~/offers/function-rules";
import type { Offer } from "~/offers/model";
import { isLive } from "~/offers/status";
import { AdminApiError, adminQuery, type AdminGraphqlClient } from "~/shopify/admin-client.server";
import {
  CART_TRANSFORMS_QUERY, CART_TRANSFORM_CREATE_MUTATION, DISCOUNT_CREATE_MUTATION, PARENT_COMPONENTS_MUTATION, PARENT_PRODUCT_CREATE_MUTATION,
  PARENT_PRODUCT_DELETE_MUTATION, PARENT_PRODUCT_UPDATE_MUTATION,
} from "~/shopify/functions.queries";
import { syncStorefrontMetafields, type MetafieldWrite } from "~/shopify/storefront-metafields.server";

/** The Functions' handles: their extensions' folder names (extensions/bundle-*). */
export const CART_TRANSFORM_HANDLE = "bundle-transform";
export const DISCOUNT_HANDLE = "bundle-discount";

interface UserError { field: string[] | null; message: string; code?: string | null }

function assertNoUserErrors(what: string, errors: UserError[]): void {
  if (errors.length) throw new AdminApiError(`Shopify refused ${what}: ${errors.map((e) => e.message).join("; ")}`, errors);
}

export interface FunctionSyncInput {
  shop: string;
  admin: AdminGraphqlClient;
  offers: Offer[];
  catalog: OfferCatalog;
  products: CatalogProduct[];
  shopCurrency: string;
  currencies: string[];
  now: number;
}

/** Brings the Functions' configuration up to date; returns the offers some product's rules had no room for. */
export async function syncFunctions(input: FunctionSyncInput): Promise<{ omitted: string[]; written: number; deleted: number }> {
  const { shop, admin, offers, catalog, products, currencies, now } = input;
  const { discountId } = await ensureFunctions(shop, admin);
  const parentVariants = await syncParents(input);
  const rules = functionRules({ offers, catalog, productIds: products.map((p) => p.id), currencies, parentVariants, now });
  const json = (ownerId: string, key: string, value: unknown): MetafieldWrite => ({ ownerId, namespace: FUNCTION_NAMESPACE, key, type: "json", value: JSON.stringify(value) });
  const wanted = [
    ...[...rules.bundles].map(([productId, value]) => json(productId, PRODUCT_BUNDLES_KEY, value)),
    ...[...rules.discounts].map(([productId, value]) => json(productId, PRODUCT_DISCOUNTS_KEY, value)),
    ...[...rules.parents].map(([variantId, value]) => json(variantId, PARENT_BUNDLE_KEY, value)),
    json(discountId, DISCOUNT_SETTINGS_KEY, discountSettings(rules, discountMessages())),
  ];
  const keys = [PRODUCT_BUNDLES_KEY, PRODUCT_DISCOUNTS_KEY, PARENT_BUNDLE_KEY, DISCOUNT_SETTINGS_KEY];
  const result = await syncStorefrontMetafields(shop, admin, { keys, namespace: () => FUNCTION_NAMESPACE }, wanted);
  await scheduleNextChange(shop, rules.nextChange);
  return { omitted: rules.omitted, ...result };
}

/** The discount's message per language and rule kind, from the app's translations. */
function discountMessages(): DiscountSettings["messages"] {
  return Object.fromEntries(LOCALES.map((locale) => [locale, MESSAGES[locale].checkout.discount]));
}

/**
 * The shop's Cart Transform and automatic app discount, created the first time (and again
 * if the ids were lost: a transform that exists already is found rather than duplicated).
 */
async function ensureFunctions(shop: string, admin: AdminGraphqlClient): Promise<{ cartTransformId: string; discountId: string }> {
  const row = await prisma.shopFunctions.findUnique({ where: { shop } });
  const cartTransformId = row?.cartTransformId ?? (await createCartTransform(admin));
  if (!row?.cartTransformId) await prisma.shopFunctions.upsert({ where: { shop }, create: { shop, cartTransformId }, update: { cartTransformId } });
  const discountId = row?.discountId ?? (await createDiscount(admin));
  if (!row?.discountId) await prisma.shopFunctions.update({ where: { shop }, data: { discountId } });
  return { cartTransformId, discountId };
}

async function createCartTransform(admin: AdminGraphqlClient): Promise<string> {
  const { cartTransformCreate: created } = await adminQuery<{ cartTransformCreate: { cartTransform: { id: string } | null; userErrors: UserError[] } }>(
    admin, CART_TRANSFORM_CREATE_MUTATION, { functionHandle: CART_TRANSFORM_HANDLE },
  );
  if (created.cartTransform) return created.cartTransform.id;
  // One cart transform per app per shop: one made by a run that died before keeping its id.
  const { cartTransforms } = await adminQuery<{ cartTransforms: { nodes: { id: string }[] } }>(admin, CART_TRANSFORMS_QUERY);
  if (cartTransforms.nodes[0]) return cartTransforms.nodes[0].id;
  assertNoUserErrors("the cart transform", created.userErrors);
  throw new AdminApiError("Shopify created no cart transform.", []);
}

async function createDiscount(admin: AdminGraphqlClient): Promise<string> {
  const discount = {
    title: "Uplift bundles", functionHandle: DISCOUNT_HANDLE, discountClasses: ["PRODUCT"], startsAt: new Date(0).toISOString(),
    // Bundle prices are the merchant's own offers: they combine with the shop's other discounts.
    combinesWith: { productDiscounts: true, orderDiscounts: true, shippingDiscounts: true },
  };
  const { discountAutomaticAppCreate: created } = await adminQuery<{ discountAutomaticAppCreate: { automaticAppDiscount: { discountId: string } | null; userErrors: UserError[] } }>(
    admin, DISCOUNT_CREATE_MUTATION, { discount },
  );
  assertNoUserErrors("the bundle discount", created.userErrors);
  return created.automaticAppDiscount!.discountId;
}

/** What a bundle's parent says: its title, its price in the shop's currency and its components. */
function parentSpec(offer: BundleOffer, catalog: OfferCatalog, input: FunctionSyncInput) {
  const title = offer.content[0]?.title || offer.name;
  const expand = offer.bundle.type === "fixed" ? parentBundle(offer.id, offer.bundle.items, offer.bundle.discount, catalog, [input.shopCurrency]) : null;
  const components = expand?.items.map((i) => ({ id: i.v, quantity: i.q })) ?? [];
  const price = expand?.items.reduce((sum, i) => sum + (i.price[input.shopCurrency] ?? 0) * i.q, 0) ?? 0;
  return { title, price, currency: input.shopCurrency, components };
}

/**
 * One parent product per fixed or mix-and-match bundle that is active and not over: created,
 * updated when what it says changes, deleted when the bundle goes. Returns offer id -> parent variant.
 */
async function syncParents(input: FunctionSyncInput): Promise<Map<string, string>> {
  const { shop, admin, offers, catalog, now } = input;
  const wanted = new Map(offers.filter(needsParent).filter((o) => isLive(o.status, { startsAt: null, endsAt: o.schedule.endsAt }, now)).map((o) => [o.id, o]));
  const known = new Map((await prisma.bundleParent.findMany({ where: { shop } })).map((p) => [p.offerId, p]));
  for (const [offerId, parent] of known) {
    if (wanted.has(offerId)) continue;
    const { productDelete } = await adminQuery<{ productDelete: { userErrors: UserError[] } }>(admin, PARENT_PRODUCT_DELETE_MUTATION, { id: parent.productId });
    if (!missing(productDelete.userErrors)) assertNoUserErrors("the bundle's parent product", productDelete.userErrors);
    await atomically(async (db) => {
      await db.bundleParent.delete({ where: { shop_offerId: { shop, offerId } } });
      await db.storefrontMetafield.deleteMany({ where: { shop, ownerId: parent.variantId } });
    });
    known.delete(offerId);
  }
  const variants = new Map<string, string>();
  for (const [offerId, offer] of wanted) {
    const spec = parentSpec(offer, catalog, input);
    const digest = createHash("sha256").update(JSON.stringify(spec)).digest("base64url");
    let parent = known.get(offerId) ?? (await createParent(shop, offerId, admin, spec.title));
    if (parent.digest !== digest) {
      if (!(await updateParent(admin, parent, spec))) {
        // A merchant deleted the parent in their admin: a new one takes its place.
        parent = await createParent(shop, offerId, admin, spec.title, parent.variantId);
        if (!(await updateParent(admin, parent, spec))) throw new AdminApiError("Shopify lost the bundle's parent product as it was made.", []);
      }
      await prisma.bundleParent.update({ where: { shop_offerId: { shop, offerId } }, data: { digest } });
    }
    variants.set(offerId, parent.variantId);
  }
  return variants;
}

/** A new parent product; `replacing`: the variant of a parent that is gone, whose metafield went with it. */
async function createParent(shop: string, offerId: string, admin: AdminGraphqlClient, title: string, replacing: string | null = null) {
  const { productCreate } = await adminQuery<{ productCreate: { product: { id: string; variants: { nodes: { id: string }[] } } | null; userErrors: UserError[] } }>(
    admin, PARENT_PRODUCT_CREATE_MUTATION, { product: { title, tags: [BUNDLE_PARENT_TAG], status: "ACTIVE" } },
  );
  assertNoUserErrors("the bundle's parent product", productCreate.userErrors);
  const product = productCreate.product!;
  const data = { productId: product.id, variantId: product.variants.nodes[0]!.id, digest: "" };
  return await atomically(async (db) => {
    if (replacing) await db.storefrontMetafield.deleteMany({ where: { shop, ownerId: replacing } });
    return await db.bundleParent.upsert({ where: { shop_offerId: { shop, offerId } }, create: { shop, offerId, ...data }, update: data });
  });
}

const missing = (errors: UserError[]) => errors.some((e) => /not exist|not found/i.test(e.message));

/** Gives the parent its title, price and components; false when the parent no longer exists. */
async function updateParent(admin: AdminGraphqlClient, parent: { productId: string; variantId: string }, spec: ReturnType<typeof parentSpec>): Promise<boolean> {
  const result = await adminQuery<{ productUpdate: { userErrors: UserError[] }; productVariantsBulkUpdate: { userErrors: UserError[] } }>(admin, PARENT_PRODUCT_UPDATE_MUTATION, {
    product: { id: parent.productId, title: spec.title },
    productId: parent.productId,
    variants: [{ id: parent.variantId, price: fromMinorUnits(spec.price, spec.currency) }],
  });
  const errors = [...result.productUpdate.userErrors, ...result.productVariantsBulkUpdate.userErrors];
  if (missing(errors)) return false;
  assertNoUserErrors("the bundle's parent product", errors);
  // Components replace what the parent had: all removed, then the bundle's set (a mix-and-match has none fixed).
  const input = [{ parentProductVariantId: parent.variantId, removeAllProductVariantRelationships: true }];
  const { productVariantRelationshipBulkUpdate: removed } = await adminQuery<{ productVariantRelationshipBulkUpdate: { userErrors: UserError[] } }>(admin, PARENT_COMPONENTS_MUTATION, { input });
  assertNoUserErrors("the bundle's components", removed.userErrors);
  if (!spec.components.length) return true;
  const { productVariantRelationshipBulkUpdate: set } = await adminQuery<{ productVariantRelationshipBulkUpdate: { userErrors: UserError[] } }>(admin, PARENT_COMPONENTS_MUTATION, {
    input: [{ parentProductVariantId: parent.variantId, productVariantRelationshipsToCreate: spec.components }],
  });
  assertNoUserErrors("the bundle's components", set.userErrors);
  return true;
}

/**
 * Functions cannot read the clock, so the sync must run again when an offer starts or ends.
 * A delayed job for that moment, enqueued once per moment (kept on the shop's row).
 */
async function scheduleNextChange(shop: string, next: number | null): Promise<void> {
  const row = await prisma.shopFunctions.findUnique({ where: { shop }, select: { nextChangeAt: true } });
  const at = next === null ? null : new Date(next);
  if (row?.nextChangeAt?.getTime() === at?.getTime()) return;
  await atomically(async (db) => {
    await db.shopFunctions.update({ where: { shop }, data: { nextChangeAt: at } });
    // From the clock now, not the run's start: the job is due at `next` itself, not later.
    if (next !== null) await enqueueJob(shop, "offers.tick", { at: next }, { delayMs: Math.max(0, next - Date.now()) }, db);
  });
}

/** The `offers.tick` job: an offer starts or ends now, so the Functions' rules are written again. */
export async function offerTickJob(job: ClaimedJob): Promise<void> {
  await enqueueJob(job.shop, "offers.sync", {});
}
