// The stand-in's storefront: a small Liquid theme (theme/) with Uplift's theme app extension
// (extensions/storefront) embedded as a merchant would place it in the theme editor, the
// Ajax Cart API and the storefront's languages (/fr, /it, ...) and markets (the localization
// form's POST /localization with a country, or ?currency=).
import type { IncomingMessage, ServerResponse } from "node:http";
import { createReadStream, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Store } from "../store.ts";
import { blockSchema, blockSettings, createEngine, type BlockSchema } from "./liquid.ts";
import { CartError, cartJson, createCarts, lineJson, type Cart } from "./cart.ts";
import { marketForCountry, marketsOf } from "../markets.ts";
import { collectionDrop, globals, productDrop, type PageContext } from "./objects.ts";
import { forwardToApp, proxiedPath, type AppProxy } from "./app-proxy.ts";
import { consentBanner, consentOf, createWebPixels, pageEvents } from "./web-pixels.ts";
import { CUSTOMER_COOKIE, createAccounts, customerDrop } from "./accounts.ts";
import { updateCart } from "./update-cart.ts";
import { createCheckouts } from "./checkout.ts";
import type { FunctionHost } from "../functions/host.ts";
import type { ShopEvent } from "../admin-api.ts";
import type { Customer } from "../store.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
export const EXTENSION_DIR = path.resolve(here, "..", "..", "..", "extensions", "storefront");
const THEME_DIR = path.join(here, "theme");
const ASSET_BASE = "/cdn/apps/uplift/assets";

export const LANGUAGES: Record<string, string> = { en: "English", fr: "Français", it: "Italiano", de: "Deutsch", es: "Español" };

/** Where the merchant placed the app's blocks (the theme's templates/*.json) and which embeds are on. */
export interface ThemeLayout {
  blocks: Record<string, { type: string; settings?: Record<string, unknown> }[]>;
  embeds: string[];
}
export const DEFAULT_LAYOUT: ThemeLayout = {
  blocks: {
    product: [{ type: "upgrade" }, { type: "bundle" }, { type: "recommendations" }],
    cart: [{ type: "cart-offers" }, { type: "recommendations" }],
    index: [{ type: "deal-of-the-day" }, { type: "recommendations" }],
    collection: [{ type: "deal-of-the-day" }, { type: "recommendations" }],
  },
  embeds: ["uplift-head", "free-shipping-bar", "cart-drawer-offers"],
};
const SECTIONS = ["cart-drawer", "cart-icon-bubble"];
/** Products on a collection page (no pagination in the stand-in). */
const COLLECTION_PAGE_SIZE = 24;
/** What Shopify injects on every Liquid storefront: the standard actions' runtime. */
const ACTIONS_SCRIPT = "/cdn/shopify/standard-actions.js";
/** A page's context with the shopper's customer account, when logged in. */
type ShopperContext = PageContext & { customer: Customer | null; consent: ReturnType<typeof consentOf> };

export interface StorefrontOptions {
  store: Store;
  publicUrl: () => string;
  layout?: ThemeLayout;
  /** The app's proxy and the secret Shopify signs its requests with. */
  appProxy?: AppProxy | null;
  apiSecret?: string;
  /** Sends the webhooks that follow an event (the checkout's orders/create); none when not given. */
  emit?: (event: ShopEvent) => number[];
  /** Runs the shop's Functions at checkout (functions/host.ts); the lines are charged as they are without it. */
  functions?: FunctionHost;
}

export function createStorefront(options: StorefrontOptions) {
  const { store } = options;
  const layout = options.layout ?? DEFAULT_LAYOUT;
  const theme = createEngine({ root: THEME_DIR, partials: "snippets", assetBase: "/cdn/theme/assets" });
  const app = createEngine({ root: EXTENSION_DIR, partials: "snippets", assetBase: ASSET_BASE });
  const carts = createCarts(store);
  const pixels = createWebPixels({ store, publicUrl: options.publicUrl });
  const accounts = createAccounts(store);
  const checkouts = createCheckouts({
    store, carts, emit: options.emit ?? (() => []), publicUrl: options.publicUrl,
    pixelTags: (page) => pixels.headTags(store.shop!.domain, page), functions: options.functions,
  });
  const schemas = new Map<string, BlockSchema>();
  const schemaOf = (type: string) => {
    let schema = schemas.get(type);
    if (!schema) schemas.set(type, (schema = blockSchema(path.join(EXTENSION_DIR, "blocks", `${type}.liquid`))));
    return schema;
  };

  async function renderBlock(type: string, index: number, settings: Record<string, unknown> | undefined, scope: Record<string, unknown>, global: object): Promise<string> {
    const block = { id: `${type}-${index}`, type, settings: blockSettings(schemaOf(type), settings), shopify_attributes: "" };
    return app.renderFile(`blocks/${type}`, { ...scope, block }, { globals: global });
  }

  /** A page: template, the app's blocks in it, the embeds, the layout; as Shopify assembles them. */
  async function renderPage(ctx: ShopperContext, cart: Cart | null, template: string, scope: Record<string, unknown>, title: string): Promise<string> {
    const global = { ...globals(ctx, cart, template), customer: customerDrop(ctx.customer, store), ...scope };
    const placed = layout.blocks[template] ?? [];
    const app_blocks = await Promise.all(placed.map((b, i) => renderBlock(b.type, i, b.settings, scope, global)));
    const used = [...placed.map((b) => b.type), ...layout.embeds].map(schemaOf);
    const head = await Promise.all(layout.embeds.filter((e) => schemaOf(e).target === "head").map((e, i) => renderBlock(e, i, {}, scope, global)));
    const body = await Promise.all(layout.embeds.filter((e) => schemaOf(e).target === "body").map((e, i) => renderBlock(e, i, {}, scope, global)));
    // Shopify loads each extension asset once per page: styles in <head>, scripts deferred.
    const styles = [...new Set(used.flatMap((s) => (s.stylesheet ? [s.stylesheet] : [])))].map((f) => `<link rel="stylesheet" href="${ASSET_BASE}/${f}">`);
    const scripts = [...new Set(used.flatMap((s) => (s.javascript ? [s.javascript] : [])))].map((f) => `<script src="${ASSET_BASE}/${f}" defer></script>`);
    const content = await theme.renderFile(`templates/${template}`, { ...scope, app_blocks }, { globals: global });
    // Shopify's own part of content_for_header: the web pixels manager with the page's events.
    const viewed = scope.product as { id: number } | undefined;
    const events = pageEvents({ product: viewed && store.products.get(viewed.id), variantId: (scope.selected_variant as { id?: number } | undefined)?.id }, ctx.currency, store.shop!.currency);
    const manager = pixels.headTags(store.shop!.domain, { url: `${ctx.publicUrl}${ctx.root.slice(0, -1)}${ctx.path}`, locale: ctx.locale, currency: ctx.currency, events });
    return theme.renderFile("layout/theme", {
      content_for_layout: content, content_for_header: [...head, `<script src="${ACTIONS_SCRIPT}" type="module"></script>`, ...styles, ...scripts, manager].join("\n"),
      content_for_body_end: [...body, consentBanner(ctx.consent)].join("\n"),
      page_title: title, sections: await renderSections(ctx, cart, SECTIONS),
      // The same page in each language.
      languages: Object.entries(LANGUAGES).map(([iso_code, name]) => ({ iso_code, name, url: `${iso_code === "en" ? "" : `/${iso_code}`}${ctx.path}` })),
    }, { globals: global });
  }

  /** The Section Rendering API: each section's HTML in its wrapper, as the theme places it. */
  async function renderSections(ctx: PageContext, cart: Cart | null, ids: string[]): Promise<Record<string, string | null>> {
    const global = globals(ctx, cart, "section");
    const entries = await Promise.all(ids.map(async (id) => {
      if (!SECTIONS.includes(id)) return [id, null] as const;
      const html = await theme.renderFile(`sections/${id}`, {}, { globals: global });
      return [id, `<div id="shopify-section-${id}" class="shopify-section">${html}</div>`] as const;
    }));
    return Object.fromEntries(entries);
  }

  return { handle };

  /** Answers storefront requests; false for anything else (the admin, the stand-in's controls). */
  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const m = /^\/(fr|it|de|es)(\/.*)?$/.exec(url.pathname);
    const locale = m ? m[1]! : "en";
    const pathname = m ? m[2] ?? "/" : url.pathname;
    const cookies = parseCookies(req.headers.cookie);
    // The shopper's market: a currency asked for in the URL, else the cart's, else the country
    // chosen in the localization form (Shopify's `localization` cookie), else the primary market.
    const currencies = marketsOf(store.shop!).map((m) => m.currency);
    const asked = url.searchParams.get("currency")?.toUpperCase();
    const currency = asked && currencies.includes(asked) ? asked : currencies.includes(cookies.cart_currency ?? "") ? cookies.cart_currency! : marketForCountry(store.shop!, cookies.localization).currency;
    const customer = accounts.customer(cookies[CUSTOMER_COOKIE]);
    const ctx: ShopperContext = {
      store, carts, publicUrl: options.publicUrl(), locale, currency, root: locale === "en" ? "/" : `/${locale}/`, path: pathname, customer, consent: consentOf(cookies._tracking_consent),
    };
    const headers: Record<string, string | string[]> = {};
    const setCookies: string[] = [];
    if (asked && currencies.includes(asked)) setCookies.push(`cart_currency=${currency}; Path=/; SameSite=Lax`);
    const cart = carts.get(cookies.cart);
    if (cart) cart.currency = currency;
    const opened = () => {
      const c = carts.open(cookies.cart, currency);
      if (c.token !== cookies.cart) setCookies.push(`cart=${c.token}; Path=/; SameSite=Lax`);
      return c;
    };
    const send = (status: number, type: string, body: string, extra: Record<string, string> = {}) => {
      if (setCookies.length) headers["Set-Cookie"] = setCookies;
      res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store", ...headers, ...extra });
      res.end(body);
      return true;
    };
    const sendJson = (status: number, body: unknown) => send(status, "application/json; charset=utf-8", JSON.stringify(body));

    const rest = options.appProxy ? proxiedPath(options.appProxy, pathname) : null;
    if (rest !== null) {
      await forwardToApp(req, res, { proxy: options.appProxy!, rest, query: url.searchParams, shop: store.shop!.domain, customerId: customer ? String(customer.id) : null, secret: options.apiSecret ?? "" });
      return true;
    }
    if (await pixels.handle(req, res, url.pathname)) return true;
    if (await checkouts.handle(req, res, url.pathname)) return true;
    // The cart's "Check out" (a form posting `checkout` to /cart, as themes do), then /checkout:
    // a checkout of the cart as it is, in the shopper's language.
    if (req.method === "POST" && pathname === "/cart") {
      const form = parseBody(await readBody(req), req.headers["content-type"]) ?? {};
      return send(302, "text/plain", "", { Location: "checkout" in form ? `${ctx.root}checkout` : `${ctx.root}cart` });
    }
    if (req.method === "GET" && pathname === "/checkout") {
      const checkout = checkouts.start(cart, locale, customer);
      return send(302, "text/plain", "", { Location: checkout ? `/checkouts/cn/${checkout.token}` : `${ctx.root}cart` });
    }
    if (req.method === "GET" && pathname.startsWith(`${ASSET_BASE}/`)) {
      const file = path.join(EXTENSION_DIR, "assets", path.basename(pathname));
      if (!existsSync(file)) return sendJson(404, { errors: "Not Found" });
      res.writeHead(200, { "Content-Type": file.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8", "Cache-Control": "public, max-age=300" });
      createReadStream(file).pipe(res);
      return true;
    }
    if (req.method === "GET" && pathname === ACTIONS_SCRIPT) {
      res.writeHead(200, { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "public, max-age=300" });
      createReadStream(path.join(here, "standard-actions.js")).pipe(res);
      return true;
    }
    if (req.method === "POST" && pathname === "/storefront/actions/update-cart") {
      const body = parseBody(await readBody(req), "application/json");
      if (!body) return sendJson(400, { errors: "The body could not be read." });
      return sendJson(200, updateCart(carts, opened(), body, ctx.publicUrl));
    }
    // The localization form (`{% form 'localization' %}`): a country (its market's currency
    // becomes the cart's) and a language, then back to the page, in that language.
    if (req.method === "POST" && pathname === "/localization") {
      const form = new URLSearchParams(await readBody(req));
      const market = marketsOf(store.shop!).find((m) => m.country === form.get("country_code")?.toUpperCase());
      if (market) {
        setCookies.push(`localization=${market.country}; Path=/; SameSite=Lax`, `cart_currency=${market.currency}; Path=/; SameSite=Lax`);
        if (cart) cart.currency = market.currency;
      }
      const language = form.get("language_code") ?? locale;
      const back = form.get("return_to") ?? "/";
      const unprefixed = back.startsWith("/") && !back.startsWith("//") ? back.replace(/^\/(fr|it|de|es)(?=\/|$)/, "") || "/" : "/";
      const prefix = language in LANGUAGES && language !== "en" ? `/${language}` : "";
      return send(302, "text/plain", "", { Location: `${prefix}${unprefixed}` });
    }
    const account = await handleAccount(req, pathname, cookies, ctx, cart);
    if (account) {
      if (account.cookie) setCookies.push(account.cookie);
      return account.location ? send(302, "text/plain", "", { Location: account.location }) : send(account.status, "text/html; charset=utf-8", account.html!);
    }
    const productJs = /^\/products\/([^/]+)\.js$/.exec(pathname);
    if (req.method === "GET" && productJs) {
      const found = [...store.products.values()].find((p) => p.handle === decodeURIComponent(productJs[1]!) && p.status === "ACTIVE");
      return found ? sendJson(200, productJson(productDrop(found, ctx))) : sendJson(404, { status: 404, message: "Not Found", description: "Not Found" });
    }
    const sectionsAsked = url.searchParams.get("sections");
    if (req.method === "GET" && sectionsAsked) return sendJson(200, await renderSections(ctx, cart, sectionsAsked.split(",").slice(0, 5)));

    if (pathname === "/cart.js" && req.method === "GET") return sendJson(200, cartJson(carts, cart, currency, ctx.publicUrl));
    const ajax = /^\/cart\/(add|change|update|clear)(\.js)?$/.exec(pathname);
    if (ajax && req.method === "POST") {
      const body = parseBody(await readBody(req), req.headers["content-type"]);
      if (!body) return sendJson(400, { status: 400, message: "Bad Request", description: "The body could not be read." });
      const target = opened();
      try {
        const result = cartAction(ajax[1]!, target, body);
        if (!ajax[2]) return send(302, "text/plain", "", { Location: `${ctx.root}cart` }); // a plain form post
        const sections = requestedSections(body.sections);
        const payload = { ...(result ?? cartJson(carts, target, currency, ctx.publicUrl)) } as Record<string, unknown>;
        if (sections.length) payload.sections = await renderSections(ctx, target, sections);
        return sendJson(200, payload);
      } catch (error) {
        if (!(error instanceof CartError)) throw error;
        return sendJson(error.status, { status: error.status, message: "Cart Error", description: error.description });
      }
    }
    if (req.method !== "GET") return false;

    if (pathname === "/" || pathname === "") {
      const collections = [...store.collections.values()].map((c) => collectionDrop(c, ctx, 8));
      return send(200, "text/html; charset=utf-8", await renderPage(ctx, cart, "index", { collections }, store.shop!.name));
    }
    const collectionPath = /^\/collections\/([^/]+)$/.exec(pathname);
    if (collectionPath) {
      const found = [...store.collections.values()].find((c) => c.handle === decodeURIComponent(collectionPath[1]!));
      if (!found) return send(404, "text/html; charset=utf-8", "Not found");
      const collection = collectionDrop(found, ctx, COLLECTION_PAGE_SIZE);
      return send(200, "text/html; charset=utf-8", await renderPage(ctx, cart, "collection", { collection }, found.title));
    }
    const productPath = /^\/products\/([^/]+)$/.exec(pathname);
    if (productPath) {
      const found = [...store.products.values()].find((p) => p.handle === decodeURIComponent(productPath[1]!) && p.status === "ACTIVE");
      if (!found) return send(404, "text/html; charset=utf-8", "Not found");
      const product = productDrop(found, ctx);
      const wanted = Number(url.searchParams.get("variant"));
      const selected_variant = product.variants.find((v) => v.id === wanted) ?? product.selected_or_first_available_variant;
      return send(200, "text/html; charset=utf-8", await renderPage(ctx, cart, "product", { product, selected_variant }, found.title));
    }
    if (pathname === "/cart") return send(200, "text/html; charset=utf-8", await renderPage(ctx, cart, "cart", {}, await theme.parseAndRender("{{ 'cart.title' | t }}", {}, { globals: globals(ctx, cart, "cart") })));
    return false;
  }

  /** /account/login (GET: the form; POST: email and password), /account, /account/logout. */
  async function handleAccount(req: IncomingMessage, pathname: string, cookies: Record<string, string>, ctx: ShopperContext, cart: Cart | null): Promise<{ status: number; html?: string; location?: string; cookie?: string } | null> {
    if (pathname === "/account/logout") {
      accounts.logOut(cookies[CUSTOMER_COOKIE]);
      return { status: 302, location: ctx.root, cookie: `${CUSTOMER_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax` };
    }
    if (pathname === "/account" && req.method === "GET") {
      if (!ctx.customer) return { status: 302, location: `${ctx.root}account/login` };
      return { status: 200, html: await renderPage(ctx, cart, "customers/account", {}, `${ctx.customer.firstName} ${ctx.customer.lastName}`) };
    }
    if (pathname !== "/account/login") return null;
    let failed = false;
    if (req.method === "POST") {
      const form = new URLSearchParams(await readBody(req));
      const token = accounts.logIn(form.get("email") ?? "", form.get("password") ?? "");
      if (token) return { status: 302, location: `${ctx.root}account`, cookie: `${CUSTOMER_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax` };
      failed = true;
    }
    return { status: failed ? 401 : 200, html: await renderPage(ctx, cart, "customers/login", { form: { errors: failed } }, "Log in") };
  }

  function cartAction(action: string, cart: Cart, body: Record<string, unknown>): unknown {
    switch (action) {
      case "add": {
        const items: { id: unknown; quantity?: unknown; properties?: unknown }[] = Array.isArray(body.items) ? body.items : [{ id: body.id, quantity: body.quantity, properties: body.properties }];
        const added = carts.add(cart, items).map((line) => lineJson(carts, line, cart.currency, options.publicUrl()));
        // One item answers as the line, several as { items }, as Shopify does.
        return Array.isArray(body.items) ? { items: added } : added[0];
      }
      case "change":
        carts.change(cart, body);
        return null;
      case "update":
        carts.update(cart, body);
        return null;
      default:
        cart.lines.length = 0;
        return null;
    }
  }
}

/** /products/{handle}.js: the Ajax API's product, prices in the cart's currency (minor units). */
function productJson(p: ReturnType<typeof productDrop>) {
  return {
    id: p.id, title: p.title, handle: p.handle, description: p.description, vendor: p.vendor, type: p.type, tags: p.tags,
    price: p.price, available: p.available, url: p.url, featured_image: p.featured_image.src, images: p.images.map((i) => i.src),
    variants: p.variants.map((v) => ({ id: v.id, title: v.title, price: v.price, compare_at_price: v.compare_at_price, available: v.available, sku: v.sku, option1: v.option1 })),
  };
}

function requestedSections(value: unknown): string[] {
  const list = Array.isArray(value) ? value.map(String) : typeof value === "string" ? value.split(",") : [];
  return list.map((s) => s.trim()).filter(Boolean).slice(0, 5);
}

function parseCookies(header: string | undefined): Record<string, string> {
  return Object.fromEntries((header ?? "").split(/;\s*/).filter(Boolean).map((pair) => {
    const at = pair.indexOf("=");
    return [pair.slice(0, at), decodeURIComponent(pair.slice(at + 1))];
  }));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** JSON, or a form (the theme's fallback without JavaScript). */
function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> | null {
  try {
    if (contentType?.includes("application/json")) {
      const body: unknown = JSON.parse(raw || "{}");
      return body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
    }
    return Object.fromEntries(new URLSearchParams(raw));
  } catch {
    return null;
  }
}
