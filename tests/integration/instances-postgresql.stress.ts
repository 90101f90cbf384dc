// Several app instances on one PostgreSQL, as a shop that outgrew one machine runs them:
// three built app processes behind a round-robin front (a test fixture, not part of the
// app), 5,000 orders/create deliveries offered at 250 a second, one instance killed with
// SIGKILL half way. Every order is applied exactly once, and the learned model the
// instances folded together counts what a rebuild from the rows counts.
import { createServer, type Server } from "node:http";
import { createHmac, randomUUID } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appProcess, type AppProcess } from "./support/app-process";
import { API_KEY, API_SECRET, SHOP } from "./support/harness";
import { dropDatabase, postgresUnavailable, throwawayDatabaseUrl } from "./support/postgres";

const unavailable = await postgresUnavailable();
const ROOT = path.resolve(__dirname, "../..");
/** UPLIFT_STRESS_ORDERS and UPLIFT_STRESS_RATE make a smaller or slower run (the is 5,000 at ≥ 200/s). */
const ORDERS = Number(process.env.UPLIFT_STRESS_ORDERS) || 5_000;
const RATE = Number(process.env.UPLIFT_STRESS_RATE) || 250;
const PRODUCTS = 40;
/** Shopify opens a bounded number of connections to an app at once. */
const IN_FLIGHT = 64;

/** Forwards each request to the next live instance; one that refuses is skipped. */
function roundRobin(backends: () => string[]): Promise<{ url: string; server: Server }> {
  let next = 0;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const live = backends();
    for (let tried = 0; tried < live.length; tried++) {
      const target = live[next++ % live.length]!;
      try {
        const answer = await fetch(`${target}${req.url}`, { method: req.method, headers: req.headers as Record<string, string>, body: Buffer.concat(chunks) });
        res.writeHead(answer.status);
        res.end(Buffer.from(await answer.arrayBuffer()));
        return;
      } catch {
        // Connection refused or cut: try the next instance, as a load balancer would.
      }
    }
    res.writeHead(502);
    res.end();
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => {
    const address = server.address() as { port: number };
    resolve({ url: `http://127.0.0.1:${address.port}`, server });
  }));
}

/** A deterministic order: 1 to 3 of the shop's products, bought by one of 500 customers. */
function order(n: number) {
  const count = 1 + (n % 3);
  const products = [...new Set(Array.from({ length: count }, (_, i) => 1 + ((n * 7 + i * 13) % PRODUCTS)))];
  const createdAt = new Date(Date.UTC(2026, 10, 1) + n * 60_000).toISOString();
  return {
    id: 900_000 + n, created_at: createdAt, updated_at: createdAt, cancelled_at: null, currency: "EUR", total_price: (products.length * 10).toFixed(2),
    customer: { id: 1 + (n % 500) },
    line_items: products.map((p, i) => ({ id: 5_000_000 + n * 10 + i, product_id: 7_000 + p, variant_id: 8_000 + p, quantity: 1, price: "10.00" })),
  };
}

/** Shopify's delivery: signed body, its headers, retried with the same webhook id until a 200 (Shopify retries for hours). */
async function deliver(url: string, n: number): Promise<number> {
  const body = JSON.stringify(order(n));
  const headers = {
    "Content-Type": "application/json", "X-Shopify-Topic": "orders/create", "X-Shopify-Shop-Domain": SHOP, "X-Shopify-API-Version": "2026-10",
    "X-Shopify-Webhook-Id": `order-${n}`, "X-Shopify-Triggered-At": new Date().toISOString(), "X-Shopify-Event-Id": randomUUID(),
    "X-Shopify-Hmac-Sha256": createHmac("sha256", API_SECRET).update(body).digest("base64"),
  };
  let last = "";
  for (let attempt = 1; attempt <= 12; attempt++) {
    try {
      const response = await fetch(`${url}/webhooks/orders`, { method: "POST", headers, body });
      if (response.status === 200) return attempt;
      last = `HTTP ${response.status} ${(await response.text()).slice(0, 200)}`;
    } catch (error) {
      // Retried below, as Shopify retries a delivery that failed.
      last = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(250 * attempt, 3_000)));
  }
  throw new Error(`Delivery ${n} failed 12 times, last: ${last}`);
}

describe.skipIf(unavailable !== null)("three app instances on one PostgreSQL", () => {
  const database = throwawayDatabaseUrl();
  const apps: AppProcess[] = [];
  const live = new Set<string>();
  const logs = mkdtempSync(path.join(os.tmpdir(), "uplift-instances-"));
  const logOf = (i: number) => path.join(logs, `instance-${i}.log`);
  let front: { url: string; server: Server };
  let prisma: typeof import("~/db.server").default;

  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(ROOT, "scripts", "db.ts"), "migrate"], { env: { ...process.env, DATABASE_URL: database.url }, stdio: "pipe" });
    // The checks below load the app's modules in this process, as an instance would.
    Object.assign(process.env, { DATABASE_URL: database.url, SHOPIFY_API_KEY: API_KEY, SHOPIFY_API_SECRET: API_SECRET, SHOPIFY_APP_URL: "http://localhost:8170" });
    prisma = (await import("~/db.server")).default;
    await prisma.shop.create({ data: { domain: SHOP, currency: "EUR", currencies: '["EUR"]' } });
    // An empty model, so the instances fold orders into it.
    await prisma.recommendationModel.create({ data: { shop: SHOP, model: JSON.stringify((await import("~/recommend/storage")).serialiseModel((await import("~/recommend/copurchase")).buildModel([], { keying: "product" }))), orders: 0, builtAt: new Date() } });
    for (let i = 0; i < 3; i++) {
      const app = await appProcess(
        // The shortest lease pg-boss allows (10 s), so the killed instance's jobs come back soon; every attempt logged.
        { SHOPIFY_API_KEY: API_KEY, SHOPIFY_API_SECRET: API_SECRET, DATABASE_URL: database.url, UPLIFT_JOB_LEASE_MS: "10000", UPLIFT_JOB_POLL_MS: "500", UPLIFT_JOB_LOG: "1" },
        undefined, { log: logOf(i) },
      );
      await app.start();
      apps.push(app);
      live.add(app.url);
    }
    front = await roundRobin(() => [...live]);
  }, 300_000);

  afterAll(async () => {
    front?.server.close();
    await Promise.all(apps.map((app) => app.stop()));
    await (await import("~/jobs/pgboss.server")).stopBoss();
    await prisma?.$disconnect();
    await dropDatabase(database.name);
    rmSync(logs, { recursive: true, force: true });
  });

  it(`applies ${ORDERS} orders exactly once with an instance killed half way, and folds what a rebuild counts`, async () => {
    const started = Date.now();
    const sends: Promise<number>[] = [];
    const inFlight = new Set<Promise<number>>();
    for (let n = 0; n < ORDERS; n++) {
      // Offered at RATE a second, with at most IN_FLIGHT deliveries open at once.
      const due = started + (n * 1000) / RATE;
      if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
      while (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
      if (n === Math.floor(ORDERS / 2)) {
        const victim = apps[1]!;
        void victim.kill9().then(() => live.delete(victim.url));
      }
      const send = deliver(front.url, n);
      inFlight.add(send);
      void send.finally(() => inFlight.delete(send)).catch(() => undefined);
      sends.push(send);
    }
    const attempts = await Promise.all(sends);
    const seconds = (Date.now() - started) / 1000;
    console.info(`instances: ${ORDERS} deliveries answered in ${seconds.toFixed(1)} s (${(ORDERS / seconds).toFixed(0)}/s), ${attempts.filter((a) => a > 1).length} retried`);

    // The killed instance's claimed jobs are taken up by the others once their leases end.
    const { jobsNeedingAttention, pendingJobCount } = await import("~/jobs/queue.server");
    const deadline = Date.now() + 300_000;
    while ((await pendingJobCount()) > 0 || (await prisma.modelChange.count()) > 0) {
      if (Date.now() > deadline) throw new Error(`The instances did not finish the work: ${await pendingJobCount()} jobs left`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const drained = (Date.now() - started) / 1000;
    const perInstance = apps.map((_, i) => {
      const log = readFileSync(logOf(i), "utf8");
      return { done: log.match(/ attempt \d+ done/g)?.length ?? 0, retried: log.match(/ attempt [2-9]\d* started/g)?.length ?? 0, failed: log.match(/ failed \(attempt/g)?.length ?? 0 };
    });
    console.info(`instances: drained ${drained.toFixed(1)} s after the first delivery (${(drained - seconds).toFixed(1)} s after the last answer); jobs done per instance ${perInstance.map((p) => p.done).join(" / ")}, attempts after the first ${perInstance.map((p) => p.retried).join(" / ")}, failed attempts ${perInstance.map((p) => p.failed).join(" / ")}`);
    expect(await jobsNeedingAttention(SHOP)).toEqual([]);
    expect(await prisma.webhookReceipt.count({ where: { shop: SHOP } })).toBe(ORDERS);
    expect(await prisma.order.count({ where: { shop: SHOP } })).toBe(ORDERS);
    expect(await prisma.orderLine.count({ where: { shop: SHOP } })).toBe(Array.from({ length: ORDERS }, (_, n) => order(n).line_items.length).reduce((a, b) => a + b, 0));

    const { loadRecommendations } = await import("~/recommend/learned.server");
    const { loadOrderInputs } = await import("~/orders/rows.server");
    const { buildModel, ordersTogether } = await import("~/recommend/copurchase");
    const folded = (await loadRecommendations(SHOP))!.model;
    const rebuilt = buildModel(await loadOrderInputs(SHOP), { keying: "product" });
    expect(folded.orders).toBe(ORDERS);
    expect(folded.orders).toBe(rebuilt.orders);
    const ids = Array.from({ length: PRODUCTS }, (_, i) => `gid://shopify/Product/${7_001 + i}`);
    const pairs = (model: typeof folded) => ids.flatMap((a, i) => ids.slice(i + 1).map((b) => ordersTogether(model, a, b)));
    expect(pairs(folded)).toEqual(pairs(rebuilt));
    expect(pairs(folded).reduce((a, b) => a + b, 0)).toBeGreaterThan(ORDERS / 2);
  }, 600_000);
});
