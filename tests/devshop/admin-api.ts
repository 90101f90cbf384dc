// Admin GraphQL on Shopify's real schema: documents that Shopify would reject are
// rejected here with Shopify's error shapes; valid ones run against the store, with
// cost-based throttling and bulk operations.
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { execute, GraphQLError, parse, validate, type DocumentNode } from "graphql";
import { loadAdminSchema } from "./schema.ts";
import { CostBucket, requestedQueryCost } from "./cost.ts";
import type { Store } from "./store.ts";
import { restTopic } from "./webhooks.ts";
import { pixelExtensions, settingsError, settingsObject, webPixelTable } from "./storefront/web-pixels.ts";
import {
  collectionView, connection, customerView, gid, idOf, marketView, matchesQuery, orderView, productView, variantView, resolveNamespace, type ResolveContext,
} from "./views.ts";
import { marketsOf } from "./markets.ts";
import { functionAdmin } from "./admin-functions.ts";

export interface AdminRequest { shop: string; version: string; accessToken: string | null; body: unknown }
export interface AdminResponse { status: number; body: unknown; headers?: Record<string, string> }
export interface ShopEvent { shop: string; topic: string; payload: unknown }

export interface AdminApiOptions {
  /** The platform's state: installations, bulk operations, webhook subscriptions (and the first shop's data). */
  store: Store;
  /** Each shop's catalog, orders and metafields; the platform store alone when not given. */
  shopStore?: (shop: string) => Store | undefined;
  /** Whether a token is the shop's current, unexpired access token; the installation's token when not given. */
  authorize?: (shop: string, token: string | null) => boolean;
  publicUrl: string;
  onEvent: (event: ShopEvent) => void;
  throttle?: { maximumAvailable: number; restoreRate: number };
  /** Folders of Function extension folders the app has deployed (the app's extensions/ when not given). */
  functionRoots?: string[];
}

const MAX_SINGLE_QUERY_COST = 1000;

/** Shopify's MetafieldOwnerType: an app installation's (app-data) metafields are API_PERMISSION's. */
const ownerType = (ownerId: string) => {
  const type = ownerId.split("/")[3] ?? "";
  return ({ AppInstallation: "API_PERMISSION", DiscountAutomaticNode: "DISCOUNT" } as Record<string, string>)[type] ?? type.toUpperCase();
};

export function bulkFilePath(store: Store, id: number): string {
  return path.join(store.dir, "bulk", `${id}.jsonl`);
}

export function createAdminApi(options: AdminApiOptions) {
  const { store } = options;
  const buckets = new Map<string, CostBucket>();
  const bucketFor = (shop: string) => {
    let bucket = buckets.get(shop);
    if (!bucket) {
      bucket = new CostBucket(options.throttle?.maximumAvailable, options.throttle?.restoreRate);
      buckets.set(shop, bucket);
    }
    return bucket;
  };

  const installed = options.authorize ?? ((shop: string, token: string | null) => {
    if (!token) return false;
    const row = store.db.prepare("SELECT access_token FROM installations WHERE shop = ? AND uninstalled_at IS NULL").get(shop) as { access_token: string } | undefined;
    return row?.access_token === token;
  });
  const shopStore = options.shopStore ?? (() => store);
  const webPixels = webPixelTable(store);

  /**
   * Shopify's answer to a field the app's granted scopes do not cover (an install that has not
   * approved a scope added since): the field errs with ACCESS_DENIED. Checked only for the
   * fields listed where they are resolved, not for every field of the schema.
   */
  function requireScope(shop: string, field: string, scope: string): void {
    const row = store.db.prepare("SELECT scope FROM installations WHERE shop = ?").get(shop) as { scope: string } | undefined;
    if (row && !row.scope.split(",").map((s) => s.trim()).includes(scope)) {
      throw new GraphQLError(`Access denied for ${field} field. Required access: \`${scope}\` access scope.`, {
        extensions: { code: "ACCESS_DENIED", documentation: "https://shopify.dev/api/usage/access-scopes", requiredAccess: `\`${scope}\` access scope.` },
      });
    }
  }

  function rootValue(ctx: ResolveContext, shop: string) {
    // The shop's own data; `store` keeps what the platform holds for every shop.
    const data = ctx.store;
    const functions = functionAdmin({ shop, ctx, onEvent: options.onEvent, functionRoots: options.functionRoots });
    const { nodeById: functionNode, ...functionResolvers } = functions;
    const products = () => [...data.products.values()];
    const productFields = (p: import("./store.ts").Product) => ({ id: p.id, updated_at: p.updatedAt, created_at: p.createdAt, status: p.status.toLowerCase(), tag: p.tags, vendor: p.vendor, product_type: p.productType, title: p.title });
    const orderFields = (o: import("./store.ts").Order) => ({ id: o.id, created_at: o.createdAt, updated_at: o.cancelledAt ?? o.createdAt, customer_id: o.customerId });
    const nodeById = (id: string) => {
      const own = functionNode(id);
      if (own !== undefined) return own;
      const n = idOf(id);
      if (id.includes("/Product/")) { const p = data.products.get(n); return p ? productView(p, ctx) : null; }
      if (id.includes("/Collection/")) { const c = data.collections.get(n); return c ? collectionView(c, ctx) : null; }
      if (id.includes("/Order/")) { const o = data.orders.get(n); return o ? orderView(o, ctx) : null; }
      if (id.includes("/Customer/")) { const c = data.customers.get(n); return c ? customerView(c, ctx) : null; }
      if (id.includes("/BulkOperation/")) return bulkView(n);
      return null;
    };
    // A list of product references: a JSON array of product GIDs, each an existing product.
    const productReferences = (value: string) => {
      try {
        const ids: unknown = JSON.parse(value);
        return Array.isArray(ids) && ids.every((id) => typeof id === "string" && id.startsWith("gid://shopify/Product/") && data.products.has(idOf(id)));
      } catch {
        return false;
      }
    };
    return {
      ...functionResolvers,
      // The app's installation on this shop: the owner of its app-data metafields.
      currentAppInstallation: () => ({ __typename: "AppInstallation", id: gid("AppInstallation", data.shop?.id ?? 1) }),
      shop: () => {
        const s = data.shop!;
        return {
          __typename: "Shop", id: gid("Shop", s.id ?? 1), name: s.name, email: s.email, contactEmail: s.email, myshopifyDomain: s.domain,
          currencyCode: s.currency, enabledPresentmentCurrencies: s.presentmentCurrencies, ianaTimezone: s.timezone,
          primaryDomain: { id: gid("Domain", 1), host: s.domain, url: `https://${s.domain}` },
        };
      },
      markets: (args: object) => {
        requireScope(shop, "markets", "read_markets");
        return connection(marketsOf(data.shop!), args, ctx, marketView);
      },
      products: (args: { query?: string }) => connection(products().filter((p) => matchesQuery(productFields(p), args.query)), args, ctx, (p) => productView(p, ctx)),
      productVariants: (args: object) => connection(products().flatMap((p) => p.variants.map((v) => ({ id: v.id, v, p }))), args, ctx, ({ v, p }) => variantView(v, p, ctx)),
      productsCount: (args: { query?: string }) => ({ count: products().filter((p) => matchesQuery(productFields(p), args.query)).length, precision: "EXACT" }),
      product: ({ id }: { id: string }) => { const p = data.products.get(idOf(id)); return p ? productView(p, ctx) : null; },
      collections: (args: object) => connection([...data.collections.values()], args, ctx, (c) => collectionView(c, ctx)),
      collectionsCount: () => ({ count: data.collections.size, precision: "EXACT" }),
      collection: ({ id }: { id: string }) => { const c = data.collections.get(idOf(id)); return c ? collectionView(c, ctx) : null; },
      orders: (args: { query?: string }) => connection([...data.orders.values()].filter((o) => matchesQuery(orderFields(o), args.query)), args, ctx, (o) => orderView(o, ctx)),
      ordersCount: (args: { query?: string }) => ({ count: [...data.orders.values()].filter((o) => matchesQuery(orderFields(o), args.query)).length, precision: "EXACT" }),
      order: ({ id }: { id: string }) => { const o = data.orders.get(idOf(id)); return o ? orderView(o, ctx) : null; },
      customers: (args: { query?: string }) => connection([...data.customers.values()].filter((c) => matchesQuery({ id: c.id, tag: c.tags, email: c.email }, args.query)), args, ctx, (c) => customerView(c, ctx)),
      customer: ({ id }: { id: string }) => { const c = data.customers.get(idOf(id)); return c ? customerView(c, ctx) : null; },
      node: ({ id }: { id: string }) => nodeById(id),
      nodes: ({ ids }: { ids: string[] }) => ids.map(nodeById),
      bulkOperation: ({ id }: { id: string }) => bulkView(idOf(id)),
      currentBulkOperation: () => {
        const row = store.db.prepare("SELECT id FROM bulk_operations WHERE shop = ? ORDER BY id DESC LIMIT 1").get(shop) as { id: number } | undefined;
        return row ? bulkView(row.id) : null;
      },
      metafieldsSet: ({ metafields }: { metafields: { ownerId: string; namespace?: string; key: string; type?: string; value: string }[] }) => {
        const userErrors: { field: string[]; message: string; code: string }[] = [];
        if (metafields.length > 25) userErrors.push({ field: ["metafields"], message: "Exceeded the maximum metafields input limit of 25.", code: "LESS_THAN_OR_EQUAL_TO" });
        metafields.forEach((m, i) => {
          if (!m.type) userErrors.push({ field: ["metafields", String(i), "type"], message: "Type can't be blank", code: "BLANK" });
          if (m.type === "json") { try { JSON.parse(m.value); } catch { userErrors.push({ field: ["metafields", String(i), "value"], message: "Value is invalid JSON.", code: "INVALID_VALUE" }); } }
          if (m.type === "list.product_reference" && !productReferences(m.value)) userErrors.push({ field: ["metafields", String(i), "value"], message: "Value must be an array of existing product references.", code: "INVALID_VALUE" });
          if (!nodeById(m.ownerId) && !m.ownerId.includes("/Shop/") && !m.ownerId.includes("/AppInstallation/")) userErrors.push({ field: ["metafields", String(i), "ownerId"], message: "Owner does not exist.", code: "INVALID" });
        });
        if (userErrors.length) return { metafields: null, userErrors };
        const now = new Date().toISOString();
        const saved = metafields.map((m) => {
          const namespace = resolveNamespace(m.namespace ?? "$app");
          data.setMetafield({ ownerId: m.ownerId, namespace, key: m.key, type: m.type!, value: m.value, updatedAt: now });
          return { __typename: "Metafield", id: gid("Metafield", `${idOf(m.ownerId)}${m.key.length}`), namespace, key: m.key, type: m.type, value: m.value, ownerType: ownerType(m.ownerId), updatedAt: now, createdAt: now };
        });
        return { metafields: saved, userErrors: [] };
      },
      // Shopify answers null for an identifier that had no metafield, and it is no error.
      metafieldsDelete: ({ metafields }: { metafields: { ownerId: string; namespace: string; key: string }[] }) => {
        if (metafields.length > 250) return { deletedMetafields: null, userErrors: [{ field: ["metafields"], message: "Exceeded the maximum metafields input limit of 250.", code: "LESS_THAN_OR_EQUAL_TO" }] };
        const deletedMetafields = metafields.map((m) => {
          const namespace = resolveNamespace(m.namespace);
          return data.deleteMetafield(m.ownerId, namespace, m.key) ? { ownerId: m.ownerId, namespace, key: m.key } : null;
        });
        return { deletedMetafields, userErrors: [] };
      },
      webhookSubscriptions: (args: { topics?: string[]; first?: number; after?: string }) => {
        const rows = store.db.prepare("SELECT id, topic, uri, created_at FROM webhook_subscriptions WHERE shop = ?").all(shop) as { id: number; topic: string; uri: string; created_at: string }[];
        const wanted = args.topics?.map(restTopic);
        return connection(rows.filter((r) => !wanted || wanted.includes(r.topic)), args, ctx, webhookSubscriptionView);
      },
      webhookSubscriptionCreate: ({ topic, webhookSubscription }: { topic: string; webhookSubscription: { uri?: string; callbackUrl?: string } }) => {
        const uri = webhookSubscription.uri ?? webhookSubscription.callbackUrl ?? "";
        if (!/^https?:\/\//.test(uri)) return { webhookSubscription: null, userErrors: [{ field: ["webhookSubscription", "uri"], message: "Address is invalid" }] };
        const createdAt = new Date().toISOString();
        const { lastInsertRowid } = store.db.prepare("INSERT INTO webhook_subscriptions (shop, topic, uri, created_at) VALUES (?, ?, ?, ?)").run(shop, restTopic(topic), uri, createdAt);
        return { webhookSubscription: webhookSubscriptionView({ id: Number(lastInsertRowid), topic: restTopic(topic), uri, created_at: createdAt }), userErrors: [] };
      },
      webhookSubscriptionDelete: ({ id }: { id: string }) => {
        const { changes } = store.db.prepare("DELETE FROM webhook_subscriptions WHERE shop = ? AND id = ?").run(shop, idOf(id));
        return changes ? { deletedWebhookSubscriptionId: id, userErrors: [] } : { deletedWebhookSubscriptionId: null, userErrors: [{ field: ["id"], message: "Webhook subscription does not exist" }] };
      },
      // The app's web pixel (one per app and shop), its settings checked against the extension's
      // [settings] as Shopify checks them.
      webPixel: ({ id }: { id?: string }) => {
        const pixel = id ? webPixels.byId(shop, idOf(id)) : webPixels.get(shop);
        if (!pixel) throw new GraphQLError("No web pixel was found for this app.");
        return webPixelView(pixel);
      },
      webPixelCreate: ({ webPixel }: { webPixel: { settings: unknown } }) => {
        const extension = pixelExtensions()[0];
        if (!extension) return { webPixel: null, userErrors: [{ field: ["webPixel"], message: "No extension found.", code: "NO_EXTENSION" }] };
        if (webPixels.get(shop)) return { webPixel: null, userErrors: [{ field: ["webPixel"], message: "Web pixel is taken.", code: "TAKEN" }] };
        const error = settingsError(extension, webPixel.settings);
        if (error) return { webPixel: null, userErrors: [{ field: ["webPixel", "settings"], ...error }] };
        const id = webPixels.create(shop, settingsObject(webPixel.settings));
        return { webPixel: webPixelView(webPixels.byId(shop, id)!), userErrors: [] };
      },
      webPixelUpdate: ({ id, webPixel }: { id: string; webPixel: { settings: unknown } }) => {
        const extension = pixelExtensions()[0]!;
        if (!webPixels.byId(shop, idOf(id))) return { webPixel: null, userErrors: [{ field: ["id"], message: "Web pixel not found.", code: "NOT_FOUND" }] };
        const error = settingsError(extension, webPixel.settings);
        if (error) return { webPixel: null, userErrors: [{ field: ["webPixel", "settings"], ...error }] };
        webPixels.update(shop, idOf(id), settingsObject(webPixel.settings));
        return { webPixel: webPixelView(webPixels.byId(shop, idOf(id))!), userErrors: [] };
      },
      webPixelDelete: ({ id }: { id: string }) => webPixels.delete(shop, idOf(id))
        ? { deletedWebPixelId: id, userErrors: [] }
        : { deletedWebPixelId: null, userErrors: [{ field: ["id"], message: "Web pixel not found.", code: "NOT_FOUND" }] },
      bulkOperationRunQuery: ({ query }: { query: string }) => {
        const running = store.db.prepare("SELECT id FROM bulk_operations WHERE shop = ? AND status IN ('CREATED','RUNNING')").get(shop);
        if (running) return { bulkOperation: null, userErrors: [{ field: ["query"], message: "A bulk query operation for this app and shop is already in progress.", code: "OPERATION_IN_PROGRESS" }] };
        let document: DocumentNode;
        try {
          document = parse(query);
        } catch (error) {
          return { bulkOperation: null, userErrors: [{ field: ["query"], message: (error as Error).message, code: "INVALID" }] };
        }
        const errors = validate(loadAdminSchema(), document);
        if (errors.length) return { bulkOperation: null, userErrors: errors.map((e) => ({ field: ["query"], message: e.message, code: "INVALID" })) };
        const { lastInsertRowid } = store.db.prepare("INSERT INTO bulk_operations (shop, query, status, created_at) VALUES (?, ?, 'CREATED', ?)").run(shop, query, new Date().toISOString());
        const id = Number(lastInsertRowid);
        setImmediate(() => runBulk(id, shop, document));
        return { bulkOperation: bulkView(id), userErrors: [] };
      },
    };
  }

  function bulkView(id: number) {
    const row = store.db.prepare("SELECT * FROM bulk_operations WHERE id = ?").get(id) as Record<string, string | number | null> | undefined;
    if (!row) return null;
    const done = row.status === "COMPLETED";
    return {
      __typename: "BulkOperation", id: gid("BulkOperation", id), status: row.status, type: "QUERY", query: row.query, errorCode: null,
      createdAt: row.created_at, completedAt: row.completed_at, objectCount: String(row.object_count), rootObjectCount: String(row.object_count),
      fileSize: row.file_size === null ? null : String(row.file_size), url: done && row.object_count ? `${options.publicUrl}/bulk/${id}.jsonl` : null, partialDataUrl: null,
    };
  }

  /** Runs a bulk query over every record and writes Shopify's JSONL: one line per node, nested connection nodes carrying `__parentId`. */
  async function runBulk(id: number, shop: string, document: DocumentNode): Promise<void> {
    store.db.prepare("UPDATE bulk_operations SET status = 'RUNNING' WHERE id = ?").run(id);
    const ctx: ResolveContext = { store: shopStore(shop)!, bulk: true, publicUrl: options.publicUrl };
    const result = await execute({ schema: loadAdminSchema(), document, rootValue: rootValue(ctx, shop), contextValue: ctx });
    const lines: string[] = [];
    const isConnection = (v: unknown): v is { nodes?: unknown[]; edges?: { node: unknown }[] } =>
      !!v && typeof v === "object" && (Array.isArray((v as { nodes?: unknown }).nodes) || Array.isArray((v as { edges?: unknown }).edges));
    const nodesOf = (v: { nodes?: unknown[]; edges?: { node: unknown }[] }) => (v.nodes ?? v.edges!.map((e) => e.node)) as Record<string, unknown>[];
    const emit = (node: Record<string, unknown>, parentId: string | null) => {
      const copy: Record<string, unknown> = {};
      const nested: Record<string, unknown>[][] = [];
      for (const [key, value] of Object.entries(node)) {
        if (isConnection(value)) nested.push(nodesOf(value));
        else copy[key] = value;
      }
      if (parentId) copy.__parentId = parentId;
      lines.push(JSON.stringify(copy));
      for (const children of nested) for (const child of children) emit(child, node.id as string);
    };
    for (const value of Object.values(result.data ?? {})) if (isConnection(value)) for (const node of nodesOf(value)) emit(node, null);
    const file = bulkFilePath(store, id);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, lines.length ? `${lines.join("\n")}\n` : "");
    const completedAt = new Date().toISOString();
    store.db.prepare("UPDATE bulk_operations SET status = 'COMPLETED', object_count = ?, file_size = ?, completed_at = ? WHERE id = ?")
      .run(lines.length, statSync(file).size, completedAt, id);
    options.onEvent({ shop, topic: "bulk_operations/finish", payload: { admin_graphql_api_id: gid("BulkOperation", id), completed_at: completedAt, created_at: completedAt, error_code: null, status: "completed", type: "query" } });
  }

  // An outage, as Shopify has them: the next N requests get 503 before anything runs.
  let outageLeft = 0;
  const failNext = (requests: number) => { outageLeft = Math.max(0, requests); };

  async function handle(request: AdminRequest): Promise<AdminResponse> {
    if (outageLeft > 0) {
      outageLeft--;
      return { status: 503, body: { errors: "Service Unavailable" } };
    }
    const data = shopStore(request.shop);
    if (!data) return { status: 404, body: { errors: "Not Found" } };
    if (!installed(request.shop, request.accessToken)) {
      return { status: 401, body: { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" } };
    }
    const body = request.body as { query?: unknown; variables?: Record<string, unknown> } | null;
    if (!body || typeof body.query !== "string") return { status: 400, body: { errors: { query: "Required parameter missing or invalid" } } };
    let schema;
    try {
      schema = loadAdminSchema(request.version);
    } catch {
      return { status: 404, body: { errors: "Not Found" } };
    }
    let document: DocumentNode;
    try {
      document = parse(body.query);
    } catch (error) {
      return { status: 200, body: { errors: [shopifyError(error as GraphQLError, "parseError")] } };
    }
    const errors = validate(schema, document);
    if (errors.length) return { status: 200, body: { errors: errors.map((e) => shopifyError(e, "validationError")) } };

    const bucket = bucketFor(request.shop);
    const cost = requestedQueryCost(schema, document, body.variables ?? {});
    if (cost > MAX_SINGLE_QUERY_COST) {
      return { status: 200, body: { errors: [{ message: `Query cost is ${cost}, which exceeds the single query max cost limit (${MAX_SINGLE_QUERY_COST}).`, extensions: { code: "MAX_COST_EXCEEDED", cost, maxCost: MAX_SINGLE_QUERY_COST } }] } };
    }
    if (!bucket.take(cost)) {
      return { status: 200, body: { errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }], extensions: { cost: { requestedQueryCost: cost, actualQueryCost: null, throttleStatus: bucket.status() } } } };
    }
    const ctx: ResolveContext = { store: data, bulk: false, publicUrl: options.publicUrl };
    const result = await execute({ schema, document, rootValue: rootValue(ctx, request.shop), contextValue: ctx, variableValues: body.variables ?? {} });
    // Shopify refunds what the query did not use; approximated by charging what was asked.
    const json: Record<string, unknown> = { data: result.data ?? null };
    if (result.errors?.length) json.errors = result.errors.map((e) => (e.extensions?.code === "ACCESS_DENIED" ? { ...shopifyError(e, "ACCESS_DENIED"), extensions: e.extensions } : shopifyError(e, "INTERNAL_SERVER_ERROR")));
    json.extensions = { cost: { requestedQueryCost: cost, actualQueryCost: cost, throttleStatus: bucket.status() } };
    return { status: 200, body: json };
  }

  return { handle, failNext };
}

/** Shopify answers the settings as a JSON string. */
function webPixelView(pixel: { id: number; settings: Record<string, string> }) {
  return { __typename: "WebPixel", id: gid("WebPixel", pixel.id), settings: JSON.stringify(pixel.settings) };
}

function webhookSubscriptionView(row: { id: number; topic: string; uri: string; created_at: string }) {
  return {
    __typename: "WebhookSubscription", id: gid("WebhookSubscription", row.id), legacyResourceId: String(row.id),
    topic: row.topic.toUpperCase().replace("/", "_"), uri: row.uri, callbackUrl: row.uri, format: "JSON", includeFields: [], metafieldNamespaces: [],
    createdAt: row.created_at, updatedAt: row.created_at, apiVersion: { handle: "2026-10", displayName: "2026-10", supported: true },
  };
}

function shopifyError(error: GraphQLError, code: string) {
  return {
    message: error.message,
    ...(error.locations ? { locations: error.locations } : {}),
    ...(error.path ? { path: error.path } : {}),
    extensions: { code },
  };
}
