// Web pixels as Shopify runs them on the storefront: each app pixel connected with
// webPixelCreate runs in its own Web Worker (the strict sandbox: no DOM, its own fetch), built
// from the extension's source as Shopify CLI bundles it, and gets the pixel API
// (`analytics.subscribe`, `browser`, `init`, `settings`, `customerPrivacy`) through
// `shopify.extend("WebPixel::Render", ...)`, which `register` from @shopify/web-pixels-extension
// calls. The page's manager (assets/web-pixels-manager.js) feeds it the standard events and
// what `Shopify.analytics.publish` publishes, and loads it only with the consent its
// [customer_privacy] declares (the stand-in's cookie banner sets the consent).
import type { IncomingMessage, ServerResponse } from "node:http";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { parse as parseToml } from "smol-toml";
import type { Product, Store } from "../store.ts";
import { presentmentPrice } from "../markets.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const EXTENSIONS = path.resolve(here, "..", "..", "..", "extensions");
const ASSETS = path.resolve(here, "..", "assets");

/** What the extension declares (shopify.extension.toml). */
export interface PixelExtension {
  handle: string;
  dir: string;
  privacy: { analytics: boolean; marketing: boolean; preferences: boolean; sale_of_data: string };
  settings: Record<string, { type: string; validations?: { name: string; value: string }[] }>;
}

/** The app's web pixel extensions, found as Shopify CLI finds them. */
export function pixelExtensions(): PixelExtension[] {
  const found: PixelExtension[] = [];
  for (const handle of ["pixel"]) {
    const dir = path.join(EXTENSIONS, handle);
    const toml = parseToml(readFileSync(path.join(dir, "shopify.extension.toml"), "utf8")) as {
      type: string; runtime_context?: string; customer_privacy?: PixelExtension["privacy"]; settings?: { fields?: PixelExtension["settings"] };
    };
    if (toml.type !== "web_pixel_extension") continue;
    if (toml.runtime_context !== "strict") throw new Error(`${handle}: app pixels run in the strict sandbox (runtime_context = "strict").`);
    found.push({ handle, dir, privacy: toml.customer_privacy ?? { analytics: true, marketing: true, preferences: true, sale_of_data: "enabled" }, settings: toml.settings?.fields ?? {} });
  }
  return found;
}

/** Shopify's check of webPixelCreate/Update settings against the extension's [settings]: null when they match. */
export function settingsError(extension: PixelExtension, input: unknown): { code: string; message: string } | null {
  let settings = input;
  if (typeof settings === "string") {
    try {
      settings = JSON.parse(settings);
    } catch {
      return { code: "INVALID_CONFIGURATION_JSON", message: "The provided settings is not a valid JSON." };
    }
  }
  const invalid = { code: "INVALID_SETTINGS", message: "The provided settings does not match the expected settings definition on the app." };
  if (!settings || typeof settings !== "object" || Array.isArray(settings)) return invalid;
  const given = settings as Record<string, unknown>;
  if (Object.keys(given).some((k) => !(k in extension.settings))) return invalid;
  for (const [name, field] of Object.entries(extension.settings)) {
    const value = given[name];
    if (typeof value !== "string") return invalid;
    const min = Number(field.validations?.find((v) => v.name === "min")?.value ?? 0);
    if (value.length < min) return invalid;
  }
  return null;
}

export interface ConnectedPixel { id: number; shop: string; settings: Record<string, string> }

/** The pixels apps connected on a shop (webPixelCreate), kept in the platform store. */
export function webPixelTable(store: Store) {
  store.db.exec("CREATE TABLE IF NOT EXISTS web_pixels (id INTEGER PRIMARY KEY AUTOINCREMENT, shop TEXT NOT NULL UNIQUE, settings TEXT NOT NULL, created_at TEXT NOT NULL)");
  const view = (row: { id: number; shop: string; settings: string } | undefined): ConnectedPixel | null =>
    row ? { id: row.id, shop: row.shop, settings: JSON.parse(row.settings) as Record<string, string> } : null;
  return {
    get: (shop: string) => view(store.db.prepare("SELECT id, shop, settings FROM web_pixels WHERE shop = ?").get(shop) as never),
    byId: (shop: string, id: number) => view(store.db.prepare("SELECT id, shop, settings FROM web_pixels WHERE shop = ? AND id = ?").get(shop, id) as never),
    create: (shop: string, settings: unknown) => {
      const { lastInsertRowid } = store.db.prepare("INSERT INTO web_pixels (shop, settings, created_at) VALUES (?, ?, ?)").run(shop, JSON.stringify(settings), new Date().toISOString());
      return Number(lastInsertRowid);
    },
    update: (shop: string, id: number, settings: unknown) => store.db.prepare("UPDATE web_pixels SET settings = ? WHERE shop = ? AND id = ?").run(JSON.stringify(settings), shop, id).changes > 0,
    delete: (shop: string, id: number) => store.db.prepare("DELETE FROM web_pixels WHERE shop = ? AND id = ?").run(shop, id).changes > 0,
  };
}

/** The JSON scalar arrives as a string (Shopify's examples) or an object. */
export const settingsObject = (input: unknown): Record<string, string> => (typeof input === "string" ? JSON.parse(input) : input) as Record<string, string>;

const bundles = new Map<string, Promise<string>>();

/** The pixel bundled as Shopify CLI does (esbuild, one script, browser target). */
function bundle(extension: PixelExtension): Promise<string> {
  let built = bundles.get(extension.handle);
  if (!built) {
    built = build({ entryPoints: [path.join(extension.dir, "src", "index.ts")], bundle: true, write: false, format: "iife", target: "es2020", platform: "browser", minify: true, logLevel: "silent" })
      .then((result) => result.outputFiles[0]!.text);
    built.catch(() => bundles.delete(extension.handle));
    bundles.set(extension.handle, built);
  }
  return built;
}

export interface Consent { analytics: boolean; marketing: boolean; preferences: boolean; sale_of_data: boolean }

/** The visitor's consent, from the stand-in's `_tracking_consent` cookie; null: not asked yet. */
export function consentOf(cookie: string | undefined): Consent | null {
  if (!cookie) return null;
  try {
    const c = JSON.parse(cookie) as Partial<Consent>;
    return { analytics: c.analytics === true, marketing: c.marketing === true, preferences: c.preferences === true, sale_of_data: c.sale_of_data === true };
  } catch {
    return null;
  }
}

/** The standard events a page view makes, as Shopify's pixel events carry them. */
export function pageEvents(page: { product?: Product; variantId?: number }, currency: string, shopCurrency: string): { name: string; data: unknown }[] {
  const events: { name: string; data: unknown }[] = [{ name: "page_viewed", data: {} }];
  if (page.product) {
    const p = page.product;
    const v = p.variants.find((x) => x.id === page.variantId) ?? p.variants[0]!;
    events.push({ name: "product_viewed", data: { productVariant: {
      id: String(v.id), title: v.title, untranslatedTitle: v.title, sku: v.sku, image: null,
      price: { amount: presentmentPrice(v.price, currency, shopCurrency) / 100, currencyCode: currency },
      product: { id: String(p.id), title: p.title, untranslatedTitle: p.title, vendor: p.vendor, type: p.productType, url: `/products/${p.handle}` },
    } } });
  }
  return events;
}

export function createWebPixels(options: { store: Store; publicUrl: () => string }) {
  const table = webPixelTable(options.store);
  const extensions = pixelExtensions();

  /** What the page's manager needs: the connected pixels, the page's snapshot and events. */
  function setup(shop: string, page: { url: string; locale: string; currency: string; events: { name: string; data: unknown }[] }) {
    const connected = table.get(shop);
    const pixels = connected ? extensions.map((e) => ({ id: `${e.handle}-${connected.id}`, src: `/web-pixels/${e.handle}/sandbox.js`, settings: connected.settings, privacy: e.privacy })) : [];
    return {
      pixels, events: page.events,
      init: {
        context: { document: { location: { href: page.url } }, navigator: { language: page.locale }, window: { location: { href: page.url } } },
        data: { shop: { name: options.store.shop!.name, myshopifyDomain: shop, paymentSettings: { currencyCode: options.store.shop!.currency }, storefrontUrl: options.publicUrl() }, customer: null, cart: null, purchasingCompany: null },
      },
    };
  }

  /** The manager's tags for <head>: its setup as JSON (escaped for a script element) and the script. */
  function headTags(shop: string, page: Parameters<typeof setup>[1]): string {
    const json = JSON.stringify(setup(shop, page)).replace(/</g, "\\u003c");
    return `<script type="application/json" id="web-pixels-manager-setup">${json}</script>\n<script src="/web-pixels-manager.js"></script>`;
  }

  /** Serves the manager and each pixel's sandbox; false for anything else. */
  async function handle(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
    if (req.method !== "GET") return false;
    const js = (body: string) => {
      res.writeHead(200, { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-cache" });
      res.end(body);
      return true;
    };
    if (pathname === "/web-pixels-manager.js") return js(readFileSync(path.join(ASSETS, "web-pixels-manager.js"), "utf8"));
    const m = /^\/web-pixels\/([a-z0-9-]+)\/sandbox\.js$/.exec(pathname);
    const extension = m && extensions.find((e) => e.handle === m[1]);
    if (!extension) return false;
    return js(`${readFileSync(path.join(ASSETS, "web-pixels-sandbox.js"), "utf8")}\n${await bundle(extension)}`);
  }

  return { handle, headTags, table };
}


/**
 * The stand-in's cookie banner (Shopify shows its own where consent is required): rendered at
 * the end of the page, so it shifts nothing, and kept after a choice so the shopper can change it.
 */
export function consentBanner(consent: Consent | null): string {
  const state = consent === null ? "Choose whether this shop may use analytics cookies." : consent.analytics ? "Analytics cookies are allowed." : "Analytics cookies are declined.";
  return `<aside aria-label="Cookie consent" class="tracking-consent" style="border-top:1px solid #ddd;margin-top:32px;padding:12px 0">
<p id="tracking-consent-status" role="status">${state}</p>
<button type="button" data-tracking-consent="accept" style="font:inherit;min-height:44px;padding:8px 16px">Accept</button>
<button type="button" data-tracking-consent="decline" style="font:inherit;min-height:44px;padding:8px 16px">Decline</button>
</aside>`;
}
