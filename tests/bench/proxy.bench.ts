// The app proxy's cart offers (routes/proxy.cart-offers.tsx) under load: the built app on
// loopback, a shop with 10,000 products and 1,000 live cart offers in its database, signed
// requests for varied carts at 1,000 requests per second; then each server flat out, beside
// a bare Node HTTP server answering a fixed JSON in the same run, and the app refusing
// unsigned requests (its floor). Budget: p99 under 10 ms at 1,000 requests per second, no
// errors.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { PrismaClient } from "@prisma/client";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { buildApp, buildIsStale, DEV_APP, freePort, ROOT, run as runCommand } from "../../scripts/stack.ts";
import { parseOfferDefinition } from "../../app/offers/validation.ts";
import { proxySignature } from "../devshop/storefront/app-proxy.ts";
import { mulberry32 } from "../devshop/random.ts";

const PRODUCTS = 10_000;
const OFFERS = 1_000;
const CART_LINES = 5;
const RATE = 1_000;
const SECONDS = 10;
const SHOP = DEV_APP.shop;
const pid = (n: number) => `gid://shopify/Product/${n + 1}`;
const vid = (n: number, v: number) => `gid://shopify/ProductVariant/${(n + 1) * 10 + v}`;

async function populate(prisma: PrismaClient) {
  const rand = mulberry32(7);
  const pick = (n: number) => Math.floor(rand() * n);
  await prisma.shop.create({ data: { domain: SHOP, name: "Bench shop", currency: "EUR", currencies: JSON.stringify(["EUR"]) } });
  await prisma.session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, scope: "read_products", accessToken: "shpat_bench" } });
  const now = new Date();
  for (let start = 0; start < PRODUCTS; start += 1_000) {
    const ns = Array.from({ length: 1_000 }, (_, i) => start + i);
    await prisma.product.createMany({ data: ns.map((n) => ({ shop: SHOP, id: pid(n), title: `Product ${n}`, handle: `product-${n}`, status: "ACTIVE", tags: JSON.stringify([`t${n % 200}`]), updatedAt: now })) });
    await prisma.variant.createMany({ data: ns.flatMap((n) => Array.from({ length: 1 + (n % 3) }, (_, v) => ({ shop: SHOP, id: vid(n, v), productId: pid(n), title: `v${v}`, priceMinor: 1000 + 500 * v + (n % 97) * 100, currency: "EUR", availableForSale: rand() > 0.05, position: v + 1 }))) });
  }
  const targeting = { placements: ["cart"], products: { productIds: [] as string[], variantIds: [], collectionIds: [], tags: [] as string[], vendors: [], productTypes: [] }, subtotal: {}, customerTags: { include: [], exclude: [] }, customerType: "any", currencies: [], markets: [], excludePurchased: false };
  const item = () => ({ productId: pid(pick(PRODUCTS)), variantId: null, quantity: 1 });
  const offers = Array.from({ length: OFFERS }, (_, i) => {
    // Most offers are set off by a product or a tag, as merchants target them; some by any cart.
    const products = i % 10 === 0 ? targeting.products : i % 2 ? { ...targeting.products, productIds: [pid(pick(PRODUCTS))] } : { ...targeting.products, tags: [`t${pick(200)}`] };
    const definition = {
      kind: "bundle", name: `Offer ${i}`, status: "active", priority: pick(5) * 10, schedule: { startsAt: null, endsAt: null }, targeting: { ...targeting, products },
      content: [{ id: "a", weight: 100, title: "Goes well with", body: "" }],
      bundle: i % 3 ? { type: "fixed", items: [item(), item()], discount: { type: "percentage", basisPoints: 1000 } } : { type: "fbt", anchorProductId: pid(pick(PRODUCTS)), companions: [item(), item()], learned: 0, discount: { type: "percentage", basisPoints: 500 } },
    };
    const parsed = parseOfferDefinition(definition);
    if (!parsed.ok) throw new Error(`bench offer ${i} is invalid: ${JSON.stringify(parsed.errors)}`);
    return { shop: SHOP, id: `offer-${i}`, kind: "bundle", name: definition.name, status: "active", priority: definition.priority, definition: JSON.stringify(parsed.offer) };
  });
  await prisma.offer.createMany({ data: offers });
}

/** Signed requests as Shopify forwards them, one cart each; the signature is good for 90 s. */
function signedPaths(count: number): string[] {
  const rand = mulberry32(11);
  return Array.from({ length: count }, (_, c) => {
    const lines = Array.from({ length: CART_LINES }, () => { const n = Math.floor(rand() * PRODUCTS); return `${(n + 1) * 10}:${n + 1}:1`; }).join(",");
    const params = new URLSearchParams({ lines, currency: "EUR", subtotal: "25000", visitor: `bench-${c}` });
    for (const [k, v] of [["shop", SHOP], ["logged_in_customer_id", ""], ["path_prefix", "/apps/uplift"], ["timestamp", String(Math.floor(Date.now() / 1000))]] as const) params.append(k, v);
    params.append("signature", proxySignature(params, DEV_APP.apiSecret));
    return `/proxy/cart-offers?${params}`;
  });
}

async function load(url: string, paths: string[], rate?: number) {
  const result = await autocannon({ url, connections: 10, duration: SECONDS, ...(rate ? { overallRate: rate } : {}), requests: paths.map((p) => ({ method: "GET", path: p })) });
  return { p50_ms: result.latency.p50, p99_ms: result.latency.p99, rps: Math.round(result.requests.average), errors: result.errors + result.timeouts + result.non2xx };
}

export async function run() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "uplift-bench-proxy-"));
  const databaseUrl = `file:${path.join(dir, "app.sqlite")}`;
  await runCommand(process.execPath, [path.join(ROOT, "scripts", "db.ts"), "migrate"], { DATABASE_URL: databaseUrl });
  const prisma = new PrismaClient({ adapter: new PrismaLibSQL({ url: databaseUrl }) });
  const bare = createServer((_req, res) => res.writeHead(200, { "Content-Type": "application/json" }).end('{"holdout":false,"offers":[],"handles":{}}'));
  let app: ReturnType<typeof spawn> | null = null;
  try {
    await populate(prisma);
    if (buildIsStale()) await buildApp();
    const port = await freePort();
    app = spawn(process.execPath, [path.join(ROOT, "node_modules", "@remix-run/serve", "dist/cli.js"), "./build/server/index.js"], {
      cwd: ROOT, stdio: "ignore",
      env: { ...process.env, NODE_ENV: "production", PORT: String(port), DATABASE_URL: databaseUrl, SHOPIFY_API_KEY: DEV_APP.apiKey, SHOPIFY_API_SECRET: DEV_APP.apiSecret, SHOPIFY_APP_URL: `http://localhost:${port}` },
    });
    const url = `http://localhost:${port}`;
    const paths = signedPaths(500);
    for (let i = 0; i < 300; i++) {
      const answer = await fetch(url + paths[0]).catch(() => null);
      if (answer?.ok) break;
      if (i === 299) throw new Error(`the app did not answer the proxy: ${answer?.status}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const sample = (await (await fetch(url + paths[1])).json()) as { offers: unknown[] };
    await load(url, paths.slice(0, 100), 200); // warm-up: the shop's offers loaded, the JIT warm
    const paced = await load(url, signedPaths(500), RATE);
    const flat = await load(url, signedPaths(500));
    // The same server refusing unsigned requests (400 before any database read or selection):
    // what the server and the library's check cost by themselves.
    const refused = await load(url, ["/proxy/cart-offers?lines=&currency=EUR&subtotal=0&visitor=v"]);
    await new Promise<void>((resolve) => bare.listen(0, "127.0.0.1", resolve));
    const bareFlat = await load(`http://127.0.0.1:${(bare.address() as { port: number }).port}`, ["/"]);
    return {
      products: PRODUCTS, offers: OFFERS, cart_lines: CART_LINES, rate: RATE, seconds: SECONDS, offers_in_sample_answer: sample.offers.length,
      p50_ms: paced.p50_ms, p99_ms: paced.p99_ms, rps_at_rate: paced.rps, errors: paced.errors + flat.errors,
      rps: flat.rps, p99_ms_flat_out: flat.p99_ms, refused_rps: refused.rps, bare_rps: bareFlat.rps, bare_p99_ms: bareFlat.p99_ms,
      // The machine is shared: how busy it was says how far these figures can be compared.
      load_average_1m: Math.round(os.loadavg()[0]! * 10) / 10,
    };
  } finally {
    app?.kill("SIGTERM");
    bare.close();
    await prisma.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}
