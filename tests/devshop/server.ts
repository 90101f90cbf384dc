// The local Shopify stand-in's HTTP server: Admin GraphQL, OAuth token exchange, session
// tokens, webhook delivery, the embedded admin frame, App Bridge's stand-in, bulk result
// files and the storefront (storefront/).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createReadStream, existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseToml } from "smol-toml";
import { createAdminApi, bulkFilePath, type ShopEvent } from "./admin-api.ts";
import type { Store } from "./store.ts";
import { openShops } from "./shops.ts";
import { createClock, createTokenService, type Clock } from "./tokens.ts";
import { mintSessionToken } from "./session-token.ts";
import { parsePickerQuery, pickerResources } from "./resource-picker.ts";
import { createWebhookSender, subscriptionsFromToml } from "./webhooks.ts";
import { ADMIN_API_VERSION } from "./schema.ts";
import { productImageSvg, restOrder, restProduct } from "./views.ts";
import { renderAdminFrame } from "./pages.ts";
import { createStorefront } from "./storefront/storefront.ts";
import { appProxyFromToml } from "./storefront/app-proxy.ts";
import { placeOrder, type NewOrder } from "./orders.ts";
import { createFunctionHost } from "./functions/host.ts";
import { functionOwners } from "./functions/registry.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, "..", "..");

export interface DevshopOptions {
  port?: number;
  host?: string;
  dataDir: string;
  shop?: string;
  /** Further shops, each seeded as a small shop of its own (e.g. uplift-second.myshopify.com). */
  otherShops?: string[];
  apiKey: string;
  apiSecret: string;
  appUrl: string;
  appToml?: string;
  seed?: boolean;
  throttle?: { maximumAvailable: number; restoreRate: number };
  webhookRetryDelaysMs?: number[];
  /** Folders of Function extension folders the app has deployed; the app's extensions/ when not given (tests add fixtures). */
  functionRoots?: string[];
}

export interface Devshop {
  url: string;
  shop: string;
  /** The first shop's store (it also holds installations, tokens and webhooks for every shop). */
  store: Store;
  shops: string[];
  storeFor(shop: string): Store;
  /** Shopify's clock, which `POST /devshop/clock` advances. */
  clock: Clock;
  /** Queues webhooks as Shopify would for this event. */
  emit(event: ShopEvent): number[];
  webhookLog(): Record<string, unknown>[];
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
};

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> | null {
  try {
    if (contentType?.includes("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(raw));
    return JSON.parse(raw);
  } catch {
    return null;
  }
}

export async function startDevshop(options: DevshopOptions): Promise<Devshop> {
  const shop = options.shop ?? "uplift-demo.myshopify.com";
  const storeName = shop.replace(".myshopify.com", "");
  const shops = openShops({ dataDir: options.dataDir, primary: shop, others: options.otherShops ?? [], seed: options.seed !== false });
  const store = shops.platform;
  const clock = createClock();
  const tomlFile = options.appToml ?? path.join(ROOT, "shopify.app.toml");
  const toml = parseToml(readFileSync(tomlFile, "utf8")) as { access_scopes?: { scopes?: string }; handle?: string };
  const scopes = toml.access_scopes?.scopes ?? "";
  let url = "";
  const tokens = createTokenService({ store, clock, apiKey: options.apiKey, apiSecret: options.apiSecret, scopes: () => scopes, isShop: (s) => !!shops.storeFor(s) });

  const webhooks = createWebhookSender({
    store, apiSecret: options.apiSecret, apiVersion: ADMIN_API_VERSION,
    subscriptions: subscriptionsFromToml(tomlFile, options.appUrl),
    retryDelaysMs: options.webhookRetryDelaysMs ?? [1000, 5000, 30_000, 120_000],
  });
  const emit = (event: ShopEvent) => webhooks.send(event.shop, event.topic, event.payload);
  const functions = createFunctionHost({ roots: options.functionRoots });
  const storefront = createStorefront({ store, publicUrl: () => url, appProxy: appProxyFromToml(tomlFile, options.appUrl), apiSecret: options.apiSecret, emit, functions });
  // Created once the port is known: bulk result URLs point back at this server.
  let adminApi: ReturnType<typeof createAdminApi> | null = null;

  async function tokenRequest(req: IncomingMessage, res: ServerResponse, requestShop: string) {
    const result = await tokens.handle(requestShop, parseBody(await readBody(req), req.headers["content-type"]));
    return json(res, result.status, result.body);
  }

  function uninstall(targetShop: string) {
    store.db.prepare("UPDATE installations SET uninstalled_at = ? WHERE shop = ?").run(new Date().toISOString(), targetShop);
    // As on Shopify: the app's cart transform, app discounts and `$app` metafields go with it.
    functionOwners(shops.storeFor(targetShop)!).removeApp();
    const s = shops.storeFor(targetShop)!.shop!;
    return emit({ shop: targetShop, topic: "app/uninstalled", payload: { id: s.id ?? 1, name: s.name, email: s.email, domain: s.domain, myshopify_domain: s.domain, currency: s.currency, iana_timezone: s.timezone } });
  }

  function compliancePayload(topic: string, target: string) {
    const data = shops.storeFor(target)!;
    const customer = [...data.customers.values()][0]!;
    const orders = [...data.orders.values()].filter((o) => o.customerId === customer.id).map((o) => o.id);
    const base = { shop_id: data.shop?.id ?? 1, shop_domain: target };
    if (topic === "shop/redact") return base;
    const c = { id: customer.id, email: customer.email, phone: null };
    return topic === "customers/redact"
      ? { ...base, customer: c, orders_to_redact: orders }
      : { ...base, customer: c, orders_requested: orders, data_request: { id: Date.now() } };
  }

  async function control(req: IncomingMessage, res: ServerResponse, pathname: string) {
    let m: RegExpExecArray | null;
    // Acting on a shop other than the first: `?shop=<domain>`.
    const target = new URL(req.url ?? "/", "http://devshop").searchParams.get("shop") ?? shop;
    if (!shops.storeFor(target)) return json(res, 404, { error: `No such shop: ${target}` });
    if (req.method === "GET" && pathname === "/devshop/webhooks") return json(res, 200, webhooks.log());
    if (req.method === "POST" && (m = /^\/devshop\/shops\/([^/]+)\/uninstall$/.exec(pathname))) {
      const domain = decodeURIComponent(m[1]!);
      return shops.storeFor(domain) ? json(res, 200, { deliveries: uninstall(domain) }) : json(res, 404, { error: "No such shop" });
    }
    if (req.method === "POST" && (m = /^\/devshop\/webhooks\/(\d+)\/redeliver$/.exec(pathname))) return webhooks.redeliver(Number(m[1])) ? json(res, 200, { ok: true }) : json(res, 404, { error: "No such delivery" });
    if (req.method === "POST" && (m = /^\/devshop\/compliance\/(customers\/data_request|customers\/redact|shop\/redact)$/.exec(pathname))) {
      return json(res, 200, { deliveries: emit({ shop: target, topic: m[1]!, payload: compliancePayload(m[1]!, target) }) });
    }
    if (req.method === "POST" && pathname === "/devshop/outage") {
      const body = (parseBody(await readBody(req), req.headers["content-type"]) ?? {}) as { requests?: number };
      adminApi?.failNext(Number(body.requests ?? 0));
      return json(res, 200, { failing: Number(body.requests ?? 0) });
    }
    if (req.method === "GET" && pathname === "/devshop/clock") return json(res, 200, { now: new Date(clock.now()).toISOString(), offsetMs: clock.offsetMs() });
    if (req.method === "POST" && pathname === "/devshop/clock") {
      const body = (parseBody(await readBody(req), req.headers["content-type"]) ?? {}) as { advanceMs?: unknown };
      if (typeof body.advanceMs !== "number" || !Number.isFinite(body.advanceMs) || body.advanceMs < 0) return json(res, 422, { error: "advanceMs must be a number of milliseconds, 0 or more" });
      clock.advance(body.advanceMs);
      return json(res, 200, { now: new Date(clock.now()).toISOString(), offsetMs: clock.offsetMs() });
    }
    if (req.method === "POST" && (m = /^\/devshop\/products\/(\d+)$/.exec(pathname))) {
      const owner = shops.holding("product", Number(m[1]));
      if (!owner) return json(res, 404, { error: "No such product" });
      const { store, shop } = owner;
      const product = store.products.get(Number(m[1]))!;
      const body = (parseBody(await readBody(req), req.headers["content-type"]) ?? {}) as { title?: string; tags?: string[]; price?: number };
      const updated = { ...product, title: body.title ?? product.title, tags: body.tags ?? product.tags, updatedAt: new Date().toISOString(),
        variants: product.variants.map((v) => (body.price === undefined ? v : { ...v, price: body.price })) };
      store.put("product", updated);
      return json(res, 200, { deliveries: emit({ shop, topic: "products/update", payload: restProduct(updated, url) }) });
    }
    if (req.method === "POST" && pathname === "/devshop/orders") return createOrder(req, res, target);
    if (req.method === "POST" && (m = /^\/devshop\/orders\/(\d+)\/refund$/.exec(pathname))) return refundOrder(req, res, Number(m[1]));
    return json(res, 404, { error: "Not found" });
  }

  /** A new order, as a shopper's checkout makes one: {lines: [{variantId, quantity, properties?}], customerId?, noteAttributes?}. */
  async function createOrder(req: IncomingMessage, res: ServerResponse, shop: string) {
    const body = (parseBody(await readBody(req), req.headers["content-type"]) ?? {}) as Partial<NewOrder>;
    const order = placeOrder(shops.storeFor(shop)!, { lines: Array.isArray(body.lines) ? body.lines : [], customerId: body.customerId, noteAttributes: body.noteAttributes });
    if (!order) return json(res, 422, { error: "Every line needs a known variantId" });
    return json(res, 200, { order: restOrder(order), deliveries: emit({ shop, topic: "orders/create", payload: restOrder(order) }) });
  }

  /** Refunds lines ({lines: [{lineId, quantity}]}; every line in full without a body): orders/updated follows. */
  async function refundOrder(req: IncomingMessage, res: ServerResponse, id: number) {
    const owner = shops.holding("order", id);
    if (!owner) return json(res, 404, { error: "No such order" });
    const { store, shop } = owner;
    const order = store.orders.get(id)!;
    const body = (parseBody(await readBody(req), req.headers["content-type"]) ?? {}) as { lines?: { lineId: number; quantity?: number }[] };
    const refunds = new Map((body.lines ?? order.lines.map((l) => ({ lineId: l.id, quantity: l.currentQuantity }))).map((r) => [Number(r.lineId), r.quantity]));
    const updated = { ...order, lines: order.lines.map((l) => (refunds.has(l.id) ? { ...l, currentQuantity: Math.max(0, l.currentQuantity - (refunds.get(l.id) ?? l.currentQuantity)) } : l)) };
    store.put("order", updated);
    return json(res, 200, { order: restOrder(updated), deliveries: emit({ shop, topic: "orders/updated", payload: restOrder(updated) }) });
  }

  const server = createServer(async (req, res) => {
    try {
      const requestUrl = new URL(req.url ?? "/", "http://devshop");
      const pathname = requestUrl.pathname;
      const requestShop = String(req.headers["x-forwarded-host"] ?? shop).split(":")[0]!;
      let m: RegExpExecArray | null;

      if (req.method === "POST" && (m = /^\/admin\/api\/([^/]+)\/graphql\.json$/.exec(pathname))) {
        const raw = await readBody(req);
        const body = parseBody(raw, "application/json");
        const token = req.headers["x-shopify-access-token"];
        const result = await adminApi!.handle({ shop: requestShop, version: m[1]!, accessToken: typeof token === "string" ? token : null, body });
        return json(res, result.status, result.body, result.headers);
      }
      if (req.method === "POST" && pathname === "/admin/oauth/access_token") return tokenRequest(req, res, requestShop);
      if (req.method === "OPTIONS") {
        res.writeHead(204, { "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "*", "Access-Control-Allow-Methods": "GET, POST" });
        return res.end();
      }
      if (req.method === "GET" && pathname === "/admin/session-token") {
        const token = await mintSessionToken({ shop: requestUrl.searchParams.get("shop") ?? shop, apiKey: options.apiKey, apiSecret: options.apiSecret });
        return json(res, 200, { token }, { "Access-Control-Allow-Origin": "*", "Cache-Control": "no-store" });
      }
      // The admin's own resource picker asks this for what to list (pages.ts): the admin's data,
      // for the shop whose admin is open; not part of any public API.
      if (req.method === "GET" && pathname === "/admin/resource-picker") {
        const pickerShop = requestUrl.searchParams.get("shop") ?? shop;
        const pickerStore = shops.storeFor(pickerShop);
        const query = parsePickerQuery(requestUrl.searchParams);
        if (!pickerStore || !query) return json(res, 400, { errors: "Bad request" });
        return json(res, 200, { currency: pickerStore.shop?.currency ?? "USD", resources: pickerResources(pickerStore, query, url) }, { "Cache-Control": "no-store" });
      }
      if (req.method === "GET" && pathname === "/cdn/shopifycloud/app-bridge.js") {
        res.writeHead(200, { "Content-Type": "text/javascript; charset=utf-8", "Access-Control-Allow-Origin": "*" });
        return createReadStream(path.join(here, "assets", "app-bridge.js")).pipe(res);
      }
      if (req.method === "GET" && (m = /^\/bulk\/(\d+)\.jsonl$/.exec(pathname))) {
        const file = bulkFilePath(store, Number(m[1]));
        if (!existsSync(file)) return json(res, 404, { error: "Not found" });
        res.writeHead(200, { "Content-Type": "application/jsonl" });
        return createReadStream(file).pipe(res);
      }
      if (req.method === "GET" && (m = /^\/images\/products\/(\d+)\.svg$/.exec(pathname))) {
        const product = shops.holding("product", Number(m[1]))?.store.products.get(Number(m[1]));
        if (!product) return json(res, 404, { errors: "Not Found" });
        res.writeHead(200, { "Content-Type": "image/svg+xml", "Cache-Control": "public, max-age=86400", "Access-Control-Allow-Origin": "*" });
        return res.end(productImageSvg(product));
      }
      if (req.method === "GET" && pathname === "/admin") {
        res.writeHead(302, { Location: `/store/${storeName}/apps/${toml.handle ?? "uplift"}` });
        return res.end();
      }
      if (req.method === "GET" && (m = /^\/store\/([^/]+)\/apps\/([^/]+)(\/.*)?$/.exec(pathname))) {
        const locale = requestUrl.searchParams.get("locale") ?? "en";
        // The admin of whichever shop the path names: /store/uplift-second/apps/... opens the second shop's.
        const frameShop = shops.storeFor(`${m[1]}.myshopify.com`) ? `${m[1]}.myshopify.com` : shop;
        const frameStore = shops.storeFor(frameShop)!;
        const token = await mintSessionToken({ shop: frameShop, apiKey: options.apiKey, apiSecret: options.apiSecret });
        const appPath = m[3] && m[3] !== "/" ? m[3] : "";
        const src = new URL(`${options.appUrl}/app${appPath}`);
        for (const [key, value] of Object.entries({ embedded: "1", shop: frameShop, host: Buffer.from(`admin.shopify.com/store/${frameShop.replace(".myshopify.com", "")}`).toString("base64").replace(/=+$/, ""), id_token: token, locale })) src.searchParams.set(key, value);
        res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
        return res.end(renderAdminFrame({ shopName: frameStore.shop?.name ?? frameShop, appSrc: src.toString(), basePath: `/store/${m[1]}/apps/${m[2]}`, locale }));
      }
      if (pathname.startsWith("/devshop/")) return control(req, res, pathname);
      if (await storefront.handle(req, res, requestUrl)) return;
      return json(res, 404, { errors: "Not Found" });
    } catch (error) {
      console.error("devshop:", error);
      if (!res.headersSent) json(res, 500, { errors: "Internal error in the stand-in" });
    }
  });

  // Bulk operations can keep the event loop busy for a few seconds; a short keep-alive
  // timeout would then close sockets that clients are already reusing (ECONNRESET).
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? "localhost", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  url = `http://localhost:${port}`;
  adminApi = createAdminApi({ store, shopStore: shops.storeFor, authorize: tokens.authorize, publicUrl: url, onEvent: emit, throttle: options.throttle, functionRoots: options.functionRoots });
  webhooks.resume();

  return {
    url,
    shop,
    store,
    shops: shops.domains(),
    storeFor: (domain) => {
      const found = shops.storeFor(domain);
      if (!found) throw new Error(`The stand-in has no shop ${domain}`);
      return found;
    },
    clock,
    emit,
    webhookLog: () => webhooks.log(),
    async close() {
      await webhooks.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections(); // keep-alive sockets would hold close() for a minute
      await closed;
      shops.close();
    },
  };
}
