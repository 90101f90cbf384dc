// The web pixel's ingestion endpoint (routes/pixel.events.tsx) under load: the built app on
// loopback, batches of 10 events with fresh ids from 1,000 visitors, flat out over 10
// connections for 10 s; beside a bare Node HTTP server that reads the same bodies, parses the
// JSON and answers 202, in the same run. The rate limits are raised so that the figure is the
// endpoint's throughput, not the limit's; afterwards every event answered 202 must be stored.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { PrismaClient } from "@prisma/client";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { createHmac } from "node:crypto";
import { buildApp, buildIsStale, DEV_APP, freePort, ROOT, run as runCommand } from "../../scripts/stack.ts";

const SHOP = DEV_APP.shop;
const EVENTS_PER_BATCH = 10;
const SECONDS = 10;
const VISITORS = 1_000;
// The app's pixel key, computed here as app/events/pixel-key.server.ts does.
const KEY = createHmac("sha256", DEV_APP.apiSecret).update(`uplift-pixel:${SHOP}`).digest("base64url").slice(0, 32);

let sequence = 0;
function body(): string {
  const at = new Date().toISOString();
  const visitor = `bench-${sequence % VISITORS}`;
  const events = Array.from({ length: EVENTS_PER_BATCH }, (_, i) => i % 2
    ? { id: `e-${++sequence}`, name: "uplift:offer_viewed", at, visitor, offer: `offer-${sequence % 50}`, version: "a", arm: "offers" }
    : { id: `e-${++sequence}`, name: "product_viewed", at, visitor, product: `gid://shopify/Product/${sequence % 500}`, variant: `gid://shopify/ProductVariant/${sequence % 500}0`, quantity: 1, amount: 2900, currency: "EUR" });
  return JSON.stringify({ shop: SHOP, key: KEY, events });
}

async function load(url: string) {
  let sent = 0;
  const result = await autocannon({
    url, connections: 10, duration: SECONDS,
    requests: [{ method: "POST", path: "/pixel/events", headers: { "Content-Type": "text/plain;charset=UTF-8" }, setupRequest: (request) => (sent++, { ...request, body: body() }) }],
  });
  return { p50_ms: result.latency.p50, p99_ms: result.latency.p99, rps: Math.round(result.requests.average), ok: result["2xx"], errors: result.errors + result.timeouts + result.non2xx, sent };
}

export async function run() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "uplift-bench-pixel-"));
  const databaseUrl = `file:${path.join(dir, "app.sqlite")}`;
  await runCommand(process.execPath, [path.join(ROOT, "scripts", "db.ts"), "migrate"], { DATABASE_URL: databaseUrl });
  const prisma = new PrismaClient({ adapter: new PrismaLibSQL({ url: databaseUrl }) });
  const bare = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const events = (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { events: unknown[] }).events.length;
      res.writeHead(202, { "Content-Type": "application/json", "Access-Control-Allow-Origin": "*" }).end(JSON.stringify({ stored: events, duplicates: 0 }));
    });
  });
  let app: ReturnType<typeof spawn> | null = null;
  try {
    await prisma.shop.create({ data: { domain: SHOP, name: "Bench shop", currency: "EUR", currencies: JSON.stringify(["EUR"]) } });
    if (buildIsStale()) await buildApp();
    const port = await freePort();
    app = spawn(process.execPath, [path.join(ROOT, "node_modules", "@remix-run/serve", "dist/cli.js"), "./build/server/index.js"], {
      cwd: ROOT, stdio: "ignore",
      env: {
        ...process.env, NODE_ENV: "production", PORT: String(port), DATABASE_URL: databaseUrl, SHOPIFY_API_KEY: DEV_APP.apiKey, SHOPIFY_API_SECRET: DEV_APP.apiSecret,
        SHOPIFY_APP_URL: `http://localhost:${port}`, UPLIFT_JOB_WORKER: "off", UPLIFT_PIXEL_LIMITS: "10000000,10000000,10000000,10000000",
      },
    });
    const url = `http://localhost:${port}`;
    for (let i = 0; ; i++) {
      const answer = await fetch(`${url}/pixel/events`, { method: "POST", body: body() }).catch(() => null);
      if (answer?.status === 202) break;
      if (i === 299) throw new Error(`the app did not take a batch: ${answer?.status}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const before = await prisma.pixelEvent.count();
    const flat = await load(url);
    const stored = (await prisma.pixelEvent.count()) - before;
    await new Promise<void>((resolve) => bare.listen(0, "127.0.0.1", resolve));
    const bareFlat = await load(`http://127.0.0.1:${(bare.address() as { port: number }).port}`);
    return {
      events_per_batch: EVENTS_PER_BATCH, seconds: SECONDS, visitors: VISITORS, database: "sqlite",
      rps: flat.rps, events_per_s: flat.rps * EVENTS_PER_BATCH, p50_ms: flat.p50_ms, p99_ms: flat.p99_ms, errors: flat.errors,
      // Every batch answered 202 is stored whole: nothing acknowledged is lost.
      events_acknowledged: flat.ok * EVENTS_PER_BATCH, events_stored: stored,
      bare_rps: bareFlat.rps, bare_p99_ms: bareFlat.p99_ms, load_average_1m: Number(os.loadavg()[0]!.toFixed(1)),
    };
  } finally {
    app?.kill("SIGTERM");
    bare.close();
    await prisma.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}
