// The stand-in's Liquid: liquidjs with the Shopify tags and filters our theme and our theme
// app extension use, behaving as Shopify documents them. One engine per file tree (the
// theme, the extension) because `t` and `asset_url` resolve within their own tree.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { Liquid, type Context, type TagToken, type TopLevelToken } from "liquidjs";

/** What every filter needs from the request: Shopify reads it from the request and cart. */
export interface RenderLocale {
  /** ISO code of the storefront language: "en", "fr". */
  locale: string;
  /** The cart's (presentment) currency. */
  currency: string;
}

export interface EngineOptions {
  root: string;
  /** Where {% render %} finds snippets, relative to root. */
  partials: string;
  /** URL prefix of the tree's assets/ folder as served. */
  assetBase: string;
}

type Translations = Record<string, unknown>;

/** locales/*.json of a tree, keyed by language ("en.default" is read as "en"). */
function readTranslations(localesDir: string): Map<string, Translations> {
  const result = new Map<string, Translations>();
  for (const file of readdirSync(localesDir)) {
    const m = /^([a-z-]+?)(\.default)?\.json$/i.exec(file);
    if (!m) continue; // *.schema.json: the theme editor's, not the storefront's
    result.set(m[1]!, JSON.parse(readFileSync(path.join(localesDir, file), "utf8")) as Translations);
  }
  return result;
}

const lookup = (table: Translations | undefined, key: string): unknown =>
  key.split(".").reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Translations)[part] : undefined), table);

/** The request's language and currency, set by the page as Liquid globals. */
function localeOf(context: Context): RenderLocale {
  const globals = context.globals as { request?: { locale?: { iso_code?: string } }; cart?: { currency?: { iso_code?: string } } };
  return { locale: globals.request?.locale?.iso_code ?? "en", currency: globals.cart?.currency?.iso_code ?? "EUR" };
}

/** Minor units formatted for the shopper: the stand-in formats money with Intl per language and currency. */
export function formatMoney(minor: number, { locale, currency }: RenderLocale): string {
  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(minor / 100);
}

/** Keyword arguments as liquidjs passes them ([name, value] pairs) to a plain object. */
const keywords = (args: unknown[]) => Object.fromEntries(args.filter((a): a is [string, unknown] => Array.isArray(a) && a.length === 2));

export function createEngine(options: EngineOptions): Liquid {
  const engine = new Liquid({ root: options.root, partials: path.join(options.root, options.partials), extname: ".liquid", cache: true, strictFilters: true });
  const translations = readTranslations(path.join(options.root, "locales"));
  const fallback = translations.get("en");

  engine.registerFilter("money", function (this: { context: Context }, minor: unknown) {
    return formatMoney(Number(minor ?? 0), localeOf(this.context));
  });
  // Shopify: `{{ 'key' | t: name: value }}`, the shopper's language first, then the default;
  // a missing key renders as Shopify shows it: "translation missing: en.key".
  engine.registerFilter("t", function (this: { context: Context }, key: unknown, ...args: unknown[]) {
    const { locale } = localeOf(this.context);
    const text = lookup(translations.get(locale), String(key)) ?? lookup(fallback, String(key));
    if (typeof text !== "string") return `translation missing: ${locale}.${String(key)}`;
    const values = keywords(args);
    return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => String(values[name] ?? ""));
  });
  engine.registerFilter("image_url", (image: unknown, ...args: unknown[]) => {
    const src = typeof image === "string" ? image : (image as { src?: string } | null)?.src;
    if (!src) return "";
    const { width, height } = keywords(args);
    const url = new URL(src, "http://x");
    if (width) url.searchParams.set("width", String(width));
    if (height) url.searchParams.set("height", String(height));
    return src.startsWith("http") ? url.toString() : `${url.pathname}${url.search}`;
  });
  engine.registerFilter("asset_url", (name: unknown) => `${options.assetBase}/${String(name)}`);

  // {% schema %}: the block's settings for the theme editor; renders nothing.
  engine.registerTag("schema", {
    parse(_token: TagToken, remaining: TopLevelToken[]) {
      for (let token = remaining.shift(); token; token = remaining.shift()) {
        if ((token as TagToken).name === "endschema") return;
      }
      throw new Error("{% schema %} without {% endschema %}");
    },
    render: () => "",
  });
  return engine;
}

export interface BlockSchema {
  name: string;
  target: "section" | "head" | "body";
  javascript?: string;
  stylesheet?: string;
  settings: { id: string; type: string; default?: unknown }[];
}

/** A block file's {% schema %} JSON. */
export function blockSchema(file: string): BlockSchema {
  const m = /\{%-?\s*schema\s*-?%\}([\s\S]*?)\{%-?\s*endschema\s*-?%\}/.exec(readFileSync(file, "utf8"));
  if (!m) throw new Error(`${file} has no {% schema %}`);
  return JSON.parse(m[1]!) as BlockSchema;
}

/** The block's settings as the theme editor saves them: defaults, then the merchant's. */
export function blockSettings(schema: BlockSchema, chosen: Record<string, unknown> = {}): Record<string, unknown> {
  const defaults = Object.fromEntries(schema.settings.map((s) => [s.id, s.default ?? (s.type === "checkbox" ? false : "")]));
  return { ...defaults, ...chosen };
}
