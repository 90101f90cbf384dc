// Admin GraphQL for what the app's Functions need, on the shop's own store: the app's
// Functions (`shopifyFunctions`), its cart transform (one per app and shop, as Shopify
// enforces), its automatic app discounts, and the bundle parent products (productCreate,
// productVariantsBulkUpdate, productDelete, productVariantRelationshipBulkUpdate).
// userErrors follow Shopify's shapes and codes for each payload type.
import type { ShopEvent } from "./admin-api.ts";
import type { Product, Variant } from "./store.ts";
import { appFunctions, functionOwners, type AppDiscountRow, type AppFunction, type CartTransformRow } from "./functions/registry.ts";
import { connection, gid, idOf, matchesQuery, ownedMetafields, productView, resolveNamespace, restProduct, variantView, type ResolveContext } from "./views.ts";

/** Shopify's cap on a shop's active app discounts (automatic and code) per the discount docs. */
const MAX_APP_DISCOUNTS = 25;

interface MetafieldInput { namespace?: string | null; key?: string | null; type?: string | null; value?: string | null }
type Err = { field: string[] | null; message: string; code?: string };

export interface FunctionAdminOptions {
  shop: string;
  ctx: ResolveContext;
  apiKey?: string;
  /** Folders of extension folders (the app's extensions/ when not given). */
  functionRoots?: string[];
  onEvent: (event: ShopEvent) => void;
}

export function functionAdmin(options: FunctionAdminOptions) {
  const { ctx, shop } = options;
  const store = ctx.store;
  const owners = functionOwners(store);
  // Read once per request: each reads the extensions' tomls from disk.
  let listed: AppFunction[] | null = null;
  const functions = () => (listed ??= appFunctions(options.functionRoots));
  const appView = { __typename: "App", id: gid("App", 7_000_001), title: "Uplift", handle: "uplift", apiKey: options.apiKey ?? "uplift-dev-key" };

  const functionView = (f: AppFunction) => ({
    __typename: "ShopifyFunction", id: f.id, handle: f.handle, title: f.title, apiType: f.apiType, apiVersion: f.apiVersion, appKey: appView.apiKey,
    description: null, inputQuery: f.inputQuery, useCreationUi: false, app: appView,
    appBridge: { createPath: `/app/functions/${f.handle}/new`, detailsPath: `/app/functions/${f.handle}` },
  });
  const findFunction = (handle: string | null | undefined, id: string | null | undefined) =>
    functions().find((f) => (handle ? f.handle === handle : f.id === id));

  const metafieldFields = (ownerId: string) => ownedMetafields(ownerId, ctx);

  /** Checks and saves metafields given at creation (MetafieldInput); the errors, or none. */
  const metafieldErrors = (metafields: MetafieldInput[] | null | undefined, field: string[]): Err[] => (metafields ?? []).flatMap((m, i) => {
    const at = [...field, String(i)];
    if (!m.key) return [{ field: [...at, "key"], message: "Key can't be blank" }];
    if (!m.type) return [{ field: [...at, "type"], message: "Type can't be blank" }];
    if (m.value == null) return [{ field: [...at, "value"], message: "Value can't be blank" }];
    if (m.type === "json") { try { JSON.parse(m.value); } catch { return [{ field: [...at, "value"], message: "Value is invalid JSON." }]; } }
    return [];
  });
  const saveMetafields = (ownerId: string, metafields: MetafieldInput[] | null | undefined) => {
    const now = new Date().toISOString();
    for (const m of metafields ?? []) store.setMetafield({ ownerId, namespace: resolveNamespace(m.namespace ?? "$app"), key: m.key!, type: m.type!, value: m.value!, updatedAt: now });
  };
  const dropMetafields = (ownerId: string) => store.db.prepare("DELETE FROM metafields WHERE owner_id = ?").run(ownerId);

  const cartTransformView = (t: CartTransformRow) => ({ __typename: "CartTransform", id: gid("CartTransform", t.id), functionId: t.functionId, blockOnFailure: t.blockOnFailure, ...metafieldFields(gid("CartTransform", t.id)) });

  const status = (d: AppDiscountRow) => {
    const now = Date.now();
    if (d.endsAt && new Date(d.endsAt).getTime() <= now) return "EXPIRED";
    return new Date(d.startsAt).getTime() > now ? "SCHEDULED" : "ACTIVE";
  };
  const discountView = (d: AppDiscountRow) => {
    const fn = functions().find((f) => f.id === d.functionId);
    return {
      __typename: "DiscountAutomaticApp", discountId: gid("DiscountAutomaticNode", d.id), title: d.title, status: status(d), startsAt: d.startsAt, endsAt: d.endsAt,
      createdAt: d.createdAt, updatedAt: d.updatedAt, discountClasses: d.discountClasses, discountClass: d.discountClasses[0] ?? "PRODUCT",
      combinesWith: { ...d.combinesWith, productDiscountsWithTagsOnSameCartLine: null }, asyncUsageCount: 0, appliesOnOneTimePurchase: true, appliesOnSubscription: true,
      recurringCycleLimit: 0, tags: [], errorHistory: null,
      appDiscountType: {
        app: appView, appBridge: { createPath: "", detailsPath: "" }, appKey: appView.apiKey, description: null, functionId: d.functionId, title: fn?.title ?? d.title,
        discountClasses: d.discountClasses, discountClass: d.discountClasses[0] ?? "PRODUCT", targetType: "LINE_ITEM",
      },
    };
  };
  const discountNodeView = (d: AppDiscountRow) => ({
    __typename: "DiscountAutomaticNode", id: gid("DiscountAutomaticNode", d.id), automaticDiscount: discountView(d), ...metafieldFields(gid("DiscountAutomaticNode", d.id)),
  });
  // DiscountNode answers the automatic discount's own id, as Shopify does.
  const anyDiscountNodeView = (d: AppDiscountRow) => ({ __typename: "DiscountNode", id: gid("DiscountAutomaticNode", d.id), discount: discountView(d), ...metafieldFields(gid("DiscountAutomaticNode", d.id)) });
  const discountFields = (d: AppDiscountRow) => ({ id: d.id, title: d.title, type: "app", method: "automatic", status: status(d).toLowerCase(), discount_class: d.discountClasses.map((c) => c.toLowerCase()) });

  /** Validates a DiscountAutomaticAppInput; the row's fields, or the errors. */
  function discountInput(input: DiscountInput, existing?: AppDiscountRow): { row: Omit<AppDiscountRow, "id" | "createdAt" | "updatedAt"> } | { errors: Err[] } {
    const at = (f: string) => ["automaticAppDiscount", f];
    if (input.functionHandle && input.functionId) return { errors: [{ field: at("functionHandle"), message: "Only one of functionId or functionHandle is allowed.", code: "MULTIPLE_FUNCTION_IDENTIFIERS" }] };
    let functionId = existing?.functionId;
    if (input.functionHandle || input.functionId) {
      const fn = findFunction(input.functionHandle, input.functionId);
      if (!fn) return { errors: [{ field: at(input.functionHandle ? "functionHandle" : "functionId"), message: "Function not found.", code: "INVALID" }] };
      if (fn.apiType !== "discount") return { errors: [{ field: at("functionHandle"), message: "Function does not implement the required interface for this discount.", code: "INVALID" }] };
      functionId = fn.id;
    }
    if (!functionId) return { errors: [{ field: at("functionHandle"), message: "Either functionId or functionHandle must be provided.", code: "MISSING_FUNCTION_IDENTIFIER" }] };
    const title = input.title ?? existing?.title;
    if (!title?.trim()) return { errors: [{ field: at("title"), message: "Title can't be blank", code: "BLANK" }] };
    const discountClasses = input.discountClasses ?? existing?.discountClasses;
    if (!discountClasses?.length) return { errors: [{ field: at("discountClasses"), message: "Discount classes can't be blank", code: "BLANK" }] };
    const startsAt = input.startsAt ?? existing?.startsAt ?? new Date().toISOString();
    const endsAt = input.endsAt !== undefined ? input.endsAt : (existing?.endsAt ?? null);
    if (endsAt && new Date(endsAt) <= new Date(startsAt)) return { errors: [{ field: at("endsAt"), message: "Ends at needs to be after starts_at", code: "END_DATE_BEFORE_START_DATE" }] };
    const errors = metafieldErrors(input.metafields, at("metafields")).map((e) => ({ ...e, code: "INVALID" }));
    if (errors.length) return { errors };
    const combinesWith = input.combinesWith
      ? { productDiscounts: !!input.combinesWith.productDiscounts, orderDiscounts: !!input.combinesWith.orderDiscounts, shippingDiscounts: !!input.combinesWith.shippingDiscounts }
      : (existing?.combinesWith ?? { productDiscounts: false, orderDiscounts: false, shippingDiscounts: false });
    return { row: { functionId, title, discountClasses, startsAt, endsAt, combinesWith } };
  }

  // Ids for what the app creates: unique across the stand-in's shops, as Shopify's are.
  const shopBase = (store.shop?.id ?? 1) * 100_000_000;
  const newProductId = () => 9_000_000_000 + shopBase + store.nextId("created-product");
  const newVariantId = () => 49_000_000_000 + shopBase + store.nextId("created-variant");
  const variantsById = () => new Map([...store.products.values()].flatMap((p) => p.variants.map((v) => [v.id, { p, v }] as const)));
  const saveProduct = (p: Product, topic: "products/create" | "products/update") => {
    store.put("product", p);
    options.onEvent({ shop, topic, payload: restProduct(p, ctx.publicUrl) });
  };

  return {
    shopifyFunctions: (args: { apiType?: string; first?: number; after?: string }) =>
      connection(functions().filter((f) => !args.apiType || f.apiType === args.apiType).map((f, i) => ({ id: i + 1, f })), args, ctx, ({ f }) => functionView(f)),
    shopifyFunction: ({ id }: { id: string }) => { const f = functions().find((x) => x.id === id); return f ? functionView(f) : null; },

    cartTransforms: (args: object) => connection(owners.cartTransforms(), args, ctx, cartTransformView),
    cartTransformCreate: (args: { functionHandle?: string | null; functionId?: string | null; blockOnFailure?: boolean | null; metafields?: MetafieldInput[] | null }) => {
      const fail = (field: string[], message: string, code: string) => ({ cartTransform: null, userErrors: [{ field, message, code }] });
      if (args.functionHandle && args.functionId) return fail(["functionHandle"], "Only one of function_id or function_handle can be provided, not both.", "MULTIPLE_FUNCTION_IDENTIFIERS");
      if (!args.functionHandle && !args.functionId) return fail(["functionHandle"], "Either function_id or function_handle must be provided.", "MISSING_FUNCTION_IDENTIFIER");
      const fn = findFunction(args.functionHandle, args.functionId);
      const field = [args.functionHandle ? "functionHandle" : "functionId"];
      if (!fn) return fail(field, `Could not find function with ${args.functionHandle ? "handle" : "ID"}: ${args.functionHandle ?? args.functionId}`, "FUNCTION_NOT_FOUND");
      if (fn.apiType !== "cart_transform") return fail(field, "Unexpected Function API. The provided function must implement one of the following extension targets: [cart.transform.run].", "FUNCTION_DOES_NOT_IMPLEMENT");
      if (owners.cartTransforms().length) return fail(field, "Could not enable cart transform because it is already registered", "FUNCTION_ALREADY_REGISTERED");
      const errors = metafieldErrors(args.metafields, ["metafields"]);
      if (errors.length) return { cartTransform: null, userErrors: errors.map((e) => ({ ...e, code: "INVALID_METAFIELDS" })) };
      const row = owners.createCartTransform(fn.id, !!args.blockOnFailure);
      saveMetafields(gid("CartTransform", row.id), args.metafields);
      return { cartTransform: cartTransformView(row), userErrors: [] };
    },
    cartTransformDelete: ({ id }: { id: string }) => {
      if (!id.startsWith("gid://shopify/CartTransform/") || !owners.deleteCartTransform(idOf(id))) return { deletedId: null, userErrors: [{ field: ["id"], message: "Could not find cart transform with id", code: "NOT_FOUND" }] };
      dropMetafields(id);
      return { deletedId: id, userErrors: [] };
    },

    discountAutomaticAppCreate: ({ automaticAppDiscount }: { automaticAppDiscount: DiscountInput }) => {
      const checked = discountInput(automaticAppDiscount);
      if ("errors" in checked) return { automaticAppDiscount: null, userErrors: checked.errors.map(discountError) };
      if (owners.discounts().filter((d) => status(d) !== "EXPIRED").length >= MAX_APP_DISCOUNTS) {
        return { automaticAppDiscount: null, userErrors: [discountError({ field: ["automaticAppDiscount"], message: `A shop can have at most ${MAX_APP_DISCOUNTS} active app discounts.`, code: "MAX_APP_DISCOUNTS" })] };
      }
      const row = owners.saveDiscount(checked.row);
      saveMetafields(gid("DiscountAutomaticNode", row.id), automaticAppDiscount.metafields);
      return { automaticAppDiscount: discountView(row), userErrors: [] };
    },
    discountAutomaticAppUpdate: ({ id, automaticAppDiscount }: { id: string; automaticAppDiscount: DiscountInput }) => {
      const existing = id.startsWith("gid://shopify/DiscountAutomaticNode/") ? owners.discount(idOf(id)) : undefined;
      if (!existing) return { automaticAppDiscount: null, userErrors: [discountError({ field: ["id"], message: "Discount does not exist", code: "INVALID" })] };
      const checked = discountInput(automaticAppDiscount, existing);
      if ("errors" in checked) return { automaticAppDiscount: null, userErrors: checked.errors.map(discountError) };
      const row = owners.saveDiscount({ ...checked.row, id: existing.id });
      saveMetafields(id, automaticAppDiscount.metafields);
      return { automaticAppDiscount: discountView(row), userErrors: [] };
    },
    discountAutomaticDelete: ({ id }: { id: string }) => {
      if (!id.startsWith("gid://shopify/DiscountAutomaticNode/") || !owners.deleteDiscount(idOf(id))) {
        return { deletedAutomaticDiscountId: null, userErrors: [discountError({ field: ["id"], message: "Discount does not exist", code: "INVALID" })] };
      }
      dropMetafields(id);
      return { deletedAutomaticDiscountId: id, userErrors: [] };
    },
    discountNodes: (args: { query?: string }) => connection(owners.discounts().filter((d) => matchesQuery(discountFields(d), args.query)), args, ctx, anyDiscountNodeView),
    automaticDiscountNodes: (args: { query?: string }) => connection(owners.discounts().filter((d) => matchesQuery(discountFields(d), args.query)), args, ctx, discountNodeView),
    discountNode: ({ id }: { id: string }) => { const d = id.includes("/DiscountAutomaticNode/") ? owners.discount(idOf(id)) : undefined; return d ? anyDiscountNodeView(d) : null; },
    automaticDiscountNode: ({ id }: { id: string }) => { const d = id.includes("/DiscountAutomaticNode/") ? owners.discount(idOf(id)) : undefined; return d ? discountNodeView(d) : null; },

    productCreate: (args: { product?: ProductCreate | null; input?: ProductCreate | null }) => {
      const input = args.product ?? args.input ?? {};
      if (!input.title?.trim()) return { product: null, userErrors: [{ field: ["title"], message: "Title can't be blank" }] };
      const errors = metafieldErrors(input.metafields, ["metafields"]);
      if (errors.length) return { product: null, userErrors: errors };
      const id = newProductId();
      const taken = new Set([...store.products.values()].map((p) => p.handle));
      let handle = input.handle ?? input.title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
      for (let n = 1; taken.has(handle); n++) handle = `${handle.replace(/-\d+$/, "")}-${n}`;
      const now = new Date().toISOString();
      const product: Product = {
        id, title: input.title, handle, status: input.status ?? "ACTIVE", vendor: input.vendor ?? store.shop?.name ?? "", productType: input.productType ?? "",
        tags: input.tags ?? [], description: (input.descriptionHtml ?? "").replace(/<[^>]+>/g, ""), imageUrl: null, createdAt: now, updatedAt: now,
        options: [{ name: "Title", values: ["Default Title"] }],
        // Shopify creates a product with one variant at 0.00; productVariantsBulkUpdate prices it.
        variants: [{ id: newVariantId(), productId: id, title: "Default Title", sku: "", price: 0, compareAtPrice: null, inventoryQuantity: 0, options: [{ name: "Title", value: "Default Title" }], position: 1 }],
      };
      saveProduct(product, "products/create");
      saveMetafields(gid("Product", id), input.metafields);
      return { product: productView(product, ctx), userErrors: [] };
    },
    // The fields the app changes on a bundle parent: title, status and tags.
    productUpdate: (args: { product?: (Pick<ProductCreate, "title" | "status" | "tags"> & { id?: string }) | null }) => {
      const input = args.product ?? {};
      const product = input.id?.startsWith("gid://shopify/Product/") ? store.products.get(idOf(input.id)) : undefined;
      if (!product) return { product: null, userErrors: [{ field: ["id"], message: "Product does not exist" }] };
      if (input.title !== undefined && !input.title?.trim()) return { product: null, userErrors: [{ field: ["title"], message: "Title can't be blank" }] };
      const updated: Product = { ...product, title: input.title ?? product.title, status: input.status ?? product.status, tags: input.tags ?? product.tags, updatedAt: new Date().toISOString() };
      saveProduct(updated, "products/update");
      return { product: productView(updated, ctx), userErrors: [] };
    },
    productDelete: ({ input }: { input: { id: string } }) => {
      const product = store.products.get(idOf(input.id));
      if (!product || !input.id.startsWith("gid://shopify/Product/")) return { deletedProductId: null, productDeleteOperation: null, userErrors: [{ field: ["id"], message: "Product does not exist" }] };
      store.transaction(() => {
        store.remove("product", product.id);
        dropMetafields(gid("Product", product.id));
        for (const v of product.variants) dropMetafields(gid("ProductVariant", v.id));
      });
      options.onEvent({ shop, topic: "products/delete", payload: { id: product.id } });
      return { deletedProductId: input.id, productDeleteOperation: null, userErrors: [] };
    },
    productVariantsBulkUpdate: ({ productId, variants }: { productId: string; variants: VariantInput[] }) => {
      const product = store.products.get(idOf(productId));
      if (!product || !productId.startsWith("gid://shopify/Product/")) return { product: null, productVariants: null, userErrors: [{ field: ["productId"], message: "Product does not exist", code: "PRODUCT_DOES_NOT_EXIST" }] };
      const errors: Err[] = [];
      variants.forEach((input, i) => {
        if (!input.id) errors.push({ field: ["variants", String(i), "id"], message: "Product variant is missing ID attribute", code: "PRODUCT_VARIANT_ID_MISSING" });
        else if (!product.variants.some((v) => v.id === idOf(input.id!))) errors.push({ field: ["variants", String(i), "id"], message: "Product variant does not exist", code: "PRODUCT_VARIANT_DOES_NOT_EXIST" });
        if (input.price != null && Number(input.price) < 0) errors.push({ field: ["variants", String(i), "price"], message: "Price must be greater than or equal to 0", code: "GREATER_THAN_OR_EQUAL_TO" });
        errors.push(...metafieldErrors(input.metafields, ["variants", String(i), "metafields"]).map((e) => ({ ...e, code: "INVALID_INPUT" })));
      });
      if (errors.length) return { product: null, productVariants: null, userErrors: errors };
      const byId = new Map(variants.map((v) => [idOf(v.id!), v]));
      const updated: Product = {
        ...product, updatedAt: new Date().toISOString(),
        variants: product.variants.map((v): Variant => {
          const input = byId.get(v.id);
          if (!input) return v;
          return {
            ...v, price: input.price != null ? Math.round(Number(input.price) * 100) : v.price,
            compareAtPrice: input.compareAtPrice !== undefined ? (input.compareAtPrice === null ? null : Math.round(Number(input.compareAtPrice) * 100)) : v.compareAtPrice,
            requiresComponents: input.requiresComponents ?? v.requiresComponents,
          };
        }),
      };
      saveProduct(updated, "products/update");
      for (const input of variants) saveMetafields(input.id!, input.metafields);
      return { product: productView(updated, ctx), productVariants: updated.variants.filter((v) => byId.has(v.id)).map((v) => variantView(v, updated, ctx)), userErrors: [] };
    },
    productVariantRelationshipBulkUpdate: ({ input }: { input: RelationshipInput[] }) => {
      const variants = variantsById();
      const errors: Err[] = [];
      const changes: { parent: { p: Product; v: Variant }; components: { variantId: number; quantity: number }[]; price?: number }[] = [];
      input.forEach((rel, i) => {
        const at = (f: string) => ["input", String(i), f];
        const parentId = rel.parentProductVariantId ? idOf(rel.parentProductVariantId) : rel.parentProductId ? store.products.get(idOf(rel.parentProductId))?.variants[0]?.id : undefined;
        const parent = parentId === undefined ? undefined : variants.get(parentId);
        if (!rel.parentProductVariantId && !rel.parentProductId) { errors.push({ field: at("parentProductVariantId"), message: "A parent product variant or product is required.", code: "PARENT_REQUIRED" }); return; }
        if (!parent) { errors.push({ field: at("parentProductVariantId"), message: "The product variants were not found.", code: "PRODUCT_VARIANTS_NOT_FOUND" }); return; }
        let components = rel.removeAllProductVariantRelationships ? [] : [...(parent.v.components ?? [])];
        const removed = (rel.productVariantRelationshipsToRemove ?? []).map(idOf);
        components = components.filter((c) => !removed.includes(c.variantId));
        for (const [list, creating] of [[rel.productVariantRelationshipsToCreate ?? [], true], [rel.productVariantRelationshipsToUpdate ?? [], false]] as const) {
          for (const c of list) {
            const child = variants.get(idOf(c.id));
            if (!child) { errors.push({ field: at("productVariantRelationshipsToCreate"), message: `The product variants were not found: ${c.id}.`, code: "PRODUCT_VARIANTS_NOT_FOUND" }); continue; }
            if (child.v.id === parent.v.id) { errors.push({ field: at("productVariantRelationshipsToCreate"), message: "A parent product variant cannot be its own component.", code: "CIRCULAR_REFERENCE" }); continue; }
            if (child.v.components?.length) { errors.push({ field: at("productVariantRelationshipsToCreate"), message: "A parent product variant cannot be a component of another bundle.", code: "NESTED_PARENT_PRODUCT_VARIANT" }); continue; }
            if (!Number.isInteger(c.quantity) || c.quantity < 1) { errors.push({ field: at("productVariantRelationshipsToCreate"), message: "Quantity must be at least 1.", code: "INVALID_QUANTITY" }); continue; }
            const existing = components.find((x) => x.variantId === child.v.id);
            if (creating && existing) { errors.push({ field: at("productVariantRelationshipsToCreate"), message: "The relationship already exists.", code: "DUPLICATE_PRODUCT_VARIANT_RELATIONSHIP" }); continue; }
            if (existing) existing.quantity = c.quantity;
            else components.push({ variantId: child.v.id, quantity: c.quantity });
          }
        }
        const price = rel.priceInput?.price != null ? Math.round(Number(rel.priceInput.price) * 100) : undefined;
        changes.push({ parent, components, price });
      });
      if (errors.length) return { parentProductVariants: null, userErrors: errors };
      const parents = changes.map(({ parent, components, price }) => {
        const product = store.products.get(parent.p.id)!;
        const updated: Product = {
          ...product, updatedAt: new Date().toISOString(),
          variants: product.variants.map((v) => (v.id === parent.v.id ? { ...v, components, requiresComponents: components.length > 0, price: price ?? v.price } : v)),
        };
        saveProduct(updated, "products/update");
        return variantView(updated.variants.find((v) => v.id === parent.v.id)!, updated, ctx);
      });
      return { parentProductVariants: parents, userErrors: [] };
    },

    /** A node of this module's kinds, for node/nodes and metafield owners; undefined for others. */
    nodeById(id: string): unknown {
      if (id.startsWith("gid://shopify/CartTransform/")) { const t = owners.cartTransforms().find((x) => x.id === idOf(id)); return t ? cartTransformView(t) : null; }
      if (id.startsWith("gid://shopify/DiscountAutomaticNode/")) { const d = owners.discount(idOf(id)); return d ? discountNodeView(d) : null; }
      if (id.startsWith("gid://shopify/ProductVariant/")) { const found = variantsById().get(idOf(id)); return found ? variantView(found.v, found.p, ctx) : null; }
      return undefined;
    },
  };
}

interface DiscountInput {
  title?: string | null; functionHandle?: string | null; functionId?: string | null; discountClasses?: string[] | null;
  startsAt?: string | null; endsAt?: string | null; combinesWith?: { productDiscounts?: boolean | null; orderDiscounts?: boolean | null; shippingDiscounts?: boolean | null } | null;
  metafields?: MetafieldInput[] | null;
}
interface ProductCreate {
  title?: string | null; handle?: string | null; status?: Product["status"] | null; vendor?: string | null; productType?: string | null; tags?: string[] | null;
  descriptionHtml?: string | null; metafields?: MetafieldInput[] | null;
}
interface VariantInput { id?: string | null; price?: string | null; compareAtPrice?: string | null; requiresComponents?: boolean | null; metafields?: MetafieldInput[] | null }
interface RelationshipInput {
  parentProductId?: string | null; parentProductVariantId?: string | null; priceInput?: { price?: string | null } | null;
  productVariantRelationshipsToCreate?: { id: string; quantity: number }[] | null; productVariantRelationshipsToUpdate?: { id: string; quantity: number }[] | null;
  productVariantRelationshipsToRemove?: string[] | null; removeAllProductVariantRelationships?: boolean | null;
}

const discountError = (e: Err) => ({ field: e.field, message: e.message, code: e.code ?? "INVALID", extraInfo: null });
