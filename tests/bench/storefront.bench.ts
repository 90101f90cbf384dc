// The storefront's cost to shoppers: Lighthouse's performance score of the stand-in's
// product page without and with Uplift's blocks and embeds (same theme, same shop), its
// layout shift, the requests it makes to the app while loading, and the gzipped bytes the
// extension adds. Budget: at most 2 points lower, CLS 0, no request to the app on load,
// JS 6 KB and CSS 4 KB.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";
import { startDevshop } from "../devshop/server.ts";
import { createStorefront, DEFAULT_LAYOUT, EXTENSION_DIR, type ThemeLayout } from "../devshop/storefront/storefront.ts";
import { presentmentPrice } from "../devshop/markets.ts";
import { gid, resolveNamespace } from "../devshop/views.ts";
import type { Store } from "../devshop/store.ts";
import { catalogOf } from "../../app/offers/catalog.ts";
import type { Offer } from "../../app/offers/model.ts";
import { METAFIELD_NAMESPACE, PRODUCT_OFFERS_KEY, SHOP_SETTINGS_KEY, productOffers } from "../../app/offers/storefront.ts";
import { chromiumPath, CHROMIUM_FLAGS } from "../e2e/chromium.ts";

const RUNS = 3;
const PRODUCT = "Nimbus 9 smartphone";

/** What the offer sync writes for a bundle and a ladder on the phone, and a free-shipping threshold. */
function writeOffers(store: Store) {
  const products = [...store.products.values()];
  const byTitle = (title: string) => products.find((p) => p.title === title)!;
  const catalog = catalogOf(products.map((p) => ({
    id: gid("Product", p.id), title: p.title, handle: p.handle, collectionIds: [], tags: p.tags, vendor: p.vendor, productType: p.productType,
    variants: p.variants.map((v) => ({ id: gid("ProductVariant", v.id), productId: gid("Product", p.id), title: v.title, available: v.inventoryQuantity > 0, prices: { EUR: v.price, USD: presentmentPrice(v.price, "USD", "EUR") } })),
  })));
  const phone = byTitle(PRODUCT);
  const targeting = { placements: ["product" as const], products: { productIds: [gid("Product", phone.id)], variantIds: [], collectionIds: [], tags: [], vendors: [], productTypes: [] }, subtotal: {}, customerTags: { include: [], exclude: [] }, customerType: "any" as const, currencies: [], markets: [], excludePurchased: false };
  const common = { status: "active" as const, priority: 50, schedule: { startsAt: null, endsAt: null }, createdAt: 1, targeting };
  const offers: Offer[] = [
    { ...common, id: "bundle", name: "Set", kind: "bundle", content: [{ id: "a", weight: 50, title: "Complete your phone", body: "" }, { id: "b", weight: 50, title: "The full kit", body: "" }],
      bundle: { type: "fbt", anchorProductId: gid("Product", phone.id), companions: [`${PRODUCT.replace(" smartphone", "")} silicone case`, `${PRODUCT.replace(" smartphone", "")} wireless charging stand`].map((t) => ({ productId: gid("Product", byTitle(t).id), variantId: null, quantity: 1 })), learned: 0, discount: { type: "percentage", basisPoints: 1000 } } },
    { ...common, id: "ladder", name: "Storage", kind: "upgrade", content: [{ id: "a", weight: 100, title: "More room", body: "" }], learned: false, incentive: { type: "none" },
      rungs: phone.variants.map((v) => ({ productId: gid("Product", phone.id), variantId: gid("ProductVariant", v.id), gain: `${v.title} of storage` })) },
  ];
  const namespace = resolveNamespace(METAFIELD_NAMESPACE);
  const updatedAt = new Date().toISOString();
  for (const [ownerId, payload] of productOffers(offers, catalog, [gid("Product", phone.id)], ["EUR", "USD"], Date.now())) {
    store.setMetafield({ ownerId, namespace, key: PRODUCT_OFFERS_KEY, type: "json", value: JSON.stringify(payload), updatedAt });
  }
  store.setMetafield({ ownerId: gid("Shop", 1), namespace, key: SHOP_SETTINGS_KEY, type: "json", value: JSON.stringify({ v: 1, freeShippingThresholds: { EUR: 100_000 }, holdoutBasisPoints: 500 }), updatedAt });
  // The recommendations block's window: what the publish job writes for the phone.
  const companions = products.filter((p) => p.id !== phone.id && p.variants.length === 1 && p.variants[0]!.inventoryQuantity > 0).slice(0, 4);
  store.setMetafield({ ownerId: gid("Product", phone.id), namespace, key: "together", type: "list.product_reference", value: JSON.stringify(companions.map((p) => gid("Product", p.id))), updatedAt });
  return phone.handle;
}

async function serve(store: Store, layout: ThemeLayout): Promise<{ url: string; server: Server }> {
  let url = "";
  const storefront = createStorefront({ store, publicUrl: () => url, layout });
  const server = createServer((req, res) => {
    void storefront.handle(req, res, new URL(req.url ?? "/", "http://x")).then((handled) => handled || res.writeHead(404).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { url, server };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function audit(port: number, url: string) {
  const result = await lighthouse(url, { port, output: "json", logLevel: "error", onlyCategories: ["performance"] });
  const lhr = result!.lhr;
  const requests = (lhr.audits["network-requests"]?.details as { items: { url: string }[] } | undefined)?.items ?? [];
  return {
    score: Math.round((lhr.categories.performance!.score ?? 0) * 100),
    cls: Number(lhr.audits["cumulative-layout-shift"]!.numericValue ?? 0),
    toApp: requests.filter((r) => new URL(r.url).pathname.startsWith("/apps/")).length,
  };
}

export async function run() {
  const executable = chromiumPath();
  if (!executable) throw new Error("The storefront benchmark needs Chromium (apt-get install chromium, or CHROMIUM_PATH)");
  const dir = mkdtempSync(path.join(os.tmpdir(), "uplift-bench-storefront-"));
  const devshop = await startDevshop({ dataDir: dir, apiKey: "k", apiSecret: "s", appUrl: "http://localhost:1" });
  const handle = writeOffers(devshop.store);
  const without = await serve(devshop.store, { blocks: {}, embeds: [] });
  const withBlocks = await serve(devshop.store, DEFAULT_LAYOUT);
  const chrome = await chromeLauncher.launch({ chromePath: executable, chromeFlags: ["--headless=new", ...CHROMIUM_FLAGS] });
  try {
    const page = (base: string) => `${base}/products/${handle}`;
    const shown = await (await fetch(page(withBlocks.url))).text();
    if (!['bundle', 'upgrade', 'recommendations'].every((kind) => shown.includes(`data-uplift-kind="${kind}"`))) throw new Error("the blocks did not render");
    const runs: { without: Awaited<ReturnType<typeof audit>>; with: Awaited<ReturnType<typeof audit>> }[] = [];
    for (let i = 0; i < RUNS; i++) runs.push({ without: await audit(chrome.port, page(without.url)), with: await audit(chrome.port, page(withBlocks.url)) });
    const head = readFileSync(path.join(EXTENSION_DIR, "blocks", "uplift-head.liquid"), "utf8");
    const inline = (tag: string) => [...head.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, "g"))].map((m) => m[1]!).join("");
    const asset = (name: string) => readFileSync(path.join(EXTENSION_DIR, "assets", name));
    const gzipped = (names: string[]) => names.reduce((n, f) => n + gzipSync(asset(f)).length, 0) + gzipSync(inline("script")).length;
    // The extension's scripts a page loads with it (the cart's comes later, at a cart change).
    const loaded = (html: string) => [...new Set([...html.matchAll(/<script src="\/cdn\/apps\/uplift\/assets\/([^"]+)"/g)].map((m) => m[1]!))];
    return {
      runs: RUNS,
      score_without: median(runs.map((r) => r.without.score)),
      score_with: median(runs.map((r) => r.with.score)),
      cls: Math.max(...runs.map((r) => r.with.cls)),
      requests_to_app_on_load: Math.max(...runs.map((r) => r.with.toApp)),
      // Every script the extension ships (the core, the bundle's and the cart's), each gzipped as served, and the inline one.
      js_gzip_bytes: gzipped(["uplift.js", "uplift-bundle.js", "uplift-cart.js"]),
      // What the product page with every block loads of them.
      js_gzip_bytes_product_page: gzipped(loaded(shown)),
      css_gzip_bytes: gzipSync(asset("uplift.css")).length + gzipSync(inline("style")).length,
    };
  } finally {
    await chrome.kill();
    without.server.close();
    withBlocks.server.close();
    await devshop.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
