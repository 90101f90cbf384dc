import { randomUUID } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { assignVariant, inHoldout } from "~/offers/assignment";
import type { ContentVariant } from "~/offers/model";

// The theme app extension's files: the head script's assignment against the app's, its
// translations, and the bytes it adds to every page.
const EXT = path.resolve(__dirname, "..", "..", "extensions", "storefront");
const read = (...parts: string[]) => readFileSync(path.join(EXT, ...parts), "utf8");
const liquidFiles = () => ["blocks", "snippets"].flatMap((dir) => readdirSync(path.join(EXT, dir)).map((f) => read(dir, f)));

/** The inline <head> script's function, as the browser runs it. */
function headScript(): string {
  const m = /<script>\s*(\(function\(d,holdout,offers\)\{[\s\S]*?\n\}\))\(document,/.exec(read("blocks", "uplift-head.liquid"));
  if (!m) throw new Error("uplift-head.liquid has no assignment script");
  return m[1]!;
}

/** Runs the head script for a visitor whose cookie is already set; returns what it decided. */
function assignInBrowser(script: string, visitor: string, holdout: number, offers: [string, [string, number][]][]) {
  const window: { upliftShopper?: { visitor: string; arm: string; versions: Record<string, string> } } = {};
  const classes: string[] = [];
  const document = { cookie: `other=1; _uplift_vid=${visitor}`, documentElement: { classList: { add: (c: string) => classes.push(c) } }, createElement: () => ({}), head: { appendChild: () => undefined } };
  const run = vm.runInNewContext(`(${script})`, { window, crypto: { randomUUID }, CSS: { escape: (s: string) => s }, Math });
  run(document, holdout, offers);
  return { ...window.upliftShopper!, classes };
}

describe("the head script's assignment", () => {
  const versions: ContentVariant[] = [{ id: "a", weight: 20, title: "", body: "" }, { id: "b", weight: 30, title: "", body: "" }, { id: "c", weight: 50, title: "", body: "" }];
  const single: ContentVariant[] = [{ id: "only", weight: 100, title: "", body: "" }];

  it("puts every visitor in the same holdout side and A/B version as the app does", () => {
    const script = headScript();
    const offers: [string, [string, number][]][] = [["offer-1", versions.map((v) => [v.id, v.weight])], ["cm3xk2", single.map((v) => [v.id, v.weight])]];
    const seen = { holdout: 0, a: 0 };
    for (let i = 0; i < 3000; i++) {
      const visitor = i % 3 ? randomUUID() : `${i}-${"é".repeat(i % 5)}visitor`;
      const holdout = [0, 500, 1000, 5000][i % 4]!;
      const got = assignInBrowser(script, visitor, holdout, offers);
      const arm = inHoldout(visitor, holdout) ? "holdout" : "offers";
      expect(got.arm).toBe(arm);
      expect(got.classes).toEqual([`uplift-${arm}`]);
      expect(got.versions).toEqual({ "offer-1": assignVariant("offer-1", visitor, versions).id, cm3xk2: "only" });
      if (arm === "holdout") seen.holdout++;
      if (got.versions["offer-1"] === "a") seen.a++;
    }
    // Both sides and several versions were exercised, not one constant answer.
    expect(seen.holdout).toBeGreaterThan(300);
    expect(seen.a).toBeGreaterThan(300);
  });

  it("sets a visitor id when there is none, and keeps the one there is", () => {
    const script = headScript();
    const window: { upliftShopper?: { visitor: string } } = {};
    const document = { cookie: "", documentElement: { classList: { add: () => undefined } }, createElement: () => ({}), head: { appendChild: () => undefined } };
    vm.runInNewContext(`(${script})`, { window, crypto: { randomUUID: () => "new-id" }, CSS: { escape: (s: string) => s }, Math })(document, 0, []);
    expect(window.upliftShopper!.visitor).toBe("new-id");
    expect(document.cookie).toMatch(/^_uplift_vid=new-id;path=\/;max-age=31536000;samesite=lax$/);
  });
});

describe("the extension's translations", () => {
  const locales = ["en.default", "fr", "it", "de", "es"];
  const keys = (node: unknown, prefix = ""): string[] =>
    node && typeof node === "object" ? Object.entries(node).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k)) : [prefix];

  it("has every storefront and editor string in every language", () => {
    for (const kind of ["", ".schema"]) {
      const en = keys(JSON.parse(read("locales", `en.default${kind}.json`))).sort();
      for (const locale of locales.slice(1)) expect(keys(JSON.parse(read("locales", `${locale}${kind}.json`))).sort(), `${locale}${kind}`).toEqual(en);
    }
  });

  it("has every key the blocks translate, and every label their schemas name", () => {
    const storefront = new Set(keys(JSON.parse(read("locales", "en.default.json"))));
    const editor = new Set(keys(JSON.parse(read("locales", "en.default.schema.json"))));
    const source = liquidFiles().join("\n");
    const used = [...source.matchAll(/'([a-z_.]+)' \| t\b/g)].map((m) => m[1]!);
    expect(used.length).toBeGreaterThan(10);
    for (const key of used) expect(storefront, key).toContain(key);
    // 'upgrade.badge_' | append: ... | t: the badge keys, one per option.
    for (const badge of ["most_chosen", "best_value"]) expect(storefront).toContain(`upgrade.badge_${badge}`);
    for (const [, key] of source.matchAll(/"t:([a-z_.]+)"/g)) expect(editor, key).toContain(key);
  });
});

describe("the scripts the extension ships", () => {
  it("are the minified build of storefront/src (npm run build writes them)", async () => {
    const { buildStorefrontScripts, STOREFRONT_ASSETS } = await import("../../scripts/build-storefront.ts");
    const built = buildStorefrontScripts();
    // Every script shipped is built from a source: none is left behind when a source goes.
    expect(readdirSync(STOREFRONT_ASSETS).filter((f) => f.endsWith(".js")).sort()).toEqual([...built.keys()].sort());
    for (const [file, code] of built) expect(readFileSync(path.join(STOREFRONT_ASSETS, file), "utf8"), file).toBe(code);
  });

  it("stay within Shopify's limit per asset, and the CSS and JavaScript within their 4 KB and 6 KB budgets", () => {
    const assets = readdirSync(path.join(EXT, "assets"));
    for (const file of assets) expect(read("assets", file).length, file).toBeLessThanOrEqual(10_000);
    const gzipped = (ext: string) => assets.filter((f) => f.endsWith(ext)).reduce((n, f) => n + gzipSync(read("assets", f)).length, 0);
    expect(gzipped(".css")).toBeLessThanOrEqual(4 * 1024);
    // Every script the extension ships, each gzipped as served, and the head's inline one: as
    // `npm run bench storefront` counts js_gzip_bytes. No page loads them all at once (the
    // cart's script comes with the cart page's block or at the first cart change).
    const inline = [...read("blocks", "uplift-head.liquid").matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!).join("");
    expect(gzipped(".js") + gzipSync(inline).length).toBeLessThanOrEqual(6 * 1024);
  });
});
