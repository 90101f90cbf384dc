// Webhooks acknowledged per second, and their p99, by one built app instance on SQLite and on
// PostgreSQL, with the worker draining the jobs they enqueue at the same time; beside a bare
// Node HTTP server that only verifies the same HMAC (the limit), in the same run. Then every
// delivery's work is checked done: `lost` counts orders acknowledged but never applied.
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import pg from "pg";
import { appProcess } from "../integration/support/app-process.ts";
import { ROOT } from "../../scripts/stack.ts";

const SECRET = "bench-secret";
const SHOP = "uplift-demo.myshopify.com";
const DELIVERIES = Number(process.env.BENCH_WEBHOOKS ?? 3_000);
const CONNECTIONS = 10;
/** The budget's rate: the paced phase offers this many deliveries a second, whatever the answers. */
const PACED_RATE = 300;
const PACED = Number(process.env.BENCH_WEBHOOKS_PACED ?? 3_000);
const POSTGRES = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

function delivery(n: number) {
  const body = JSON.stringify({
    id: 1_000_000 + n, created_at: new Date(Date.UTC(2026, 10, 1) + n * 1000).toISOString(), cancelled_at: null, currency: "EUR", total_price: "20.00",
    customer: { id: 1 + (n % 300) },
    line_items: [{ id: 10_000_000 + n * 2, product_id: 1 + (n % 50), variant_id: 100 + (n % 50), quantity: 1, price: "10.00" }, { id: 10_000_001 + n * 2, product_id: 1 + ((n * 7) % 50), variant_id: 100 + ((n * 7) % 50), quantity: 1, price: "10.00" }],
  });
  return {
    body,
    headers: {
      "Content-Type": "application/json", "X-Shopify-Topic": "orders/create", "X-Shopify-Shop-Domain": SHOP, "X-Shopify-API-Version": "2026-10",
      "X-Shopify-Webhook-Id": randomUUID(), "X-Shopify-Triggered-At": new Date().toISOString(),
      "X-Shopify-Hmac-Sha256": createHmac("sha256", SECRET).update(body).digest("base64"),
    },
  };
}

/** The first deliveries, while the server warms up (JIT, lazy modules, the first group writes). */
const WARM_UP = Math.floor(DELIVERIES / 10);

/** The q-quantile of latencies, in ms to one decimal. */
function quantile(latencies: number[], q: number): number {
  const sorted = [...latencies].sort((a, b) => a - b);
  return Number(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]!.toFixed(1));
}

/**
 * DELIVERIES signed orders/create posts over CONNECTIONS concurrent connections. The p99 is
 * given over every delivery and over those after the first tenth (`p99_warm_ms`), to tell a
 * server's start from its steady state.
 */
async function load(url: string): Promise<{ rps: number; p50_ms: number; p99_ms: number; p99_warm_ms: number; errors: number }> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
    while (next < DELIVERIES) {
      const n = next++;
      const { body, headers } = delivery(n);
      const t = performance.now();
      const response = await fetch(`${url}/webhooks/orders`, { method: "POST", headers, body });
      await response.arrayBuffer();
      latencies[n] = performance.now() - t;
      if (response.status !== 200) errors++;
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  return { rps: Math.round(DELIVERIES / seconds), p50_ms: quantile(latencies, 0.5), p99_ms: quantile(latencies, 0.99), p99_warm_ms: quantile(latencies.slice(WARM_UP), 0.99), errors };
}

/**
 * PACED deliveries offered at PACED_RATE a second, each sent at its time whether or not the
 * earlier ones were answered (an open loop, as Shopify sends), numbered after the flat-out ones.
 * Latency runs from the time a delivery was due to be sent, so a stalled server cannot hide
 * its queue (no coordinated omission).
 */
async function paced(url: string): Promise<{ offered_rps: number; achieved_rps: number; p50_ms: number; p99_ms: number; errors: number }> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: PACED }, async (_, i) => {
    const due = started + (i * 1000) / PACED_RATE;
    await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
    const { body, headers } = delivery(DELIVERIES + i);
    const response = await fetch(`${url}/webhooks/orders`, { method: "POST", headers, body });
    await response.arrayBuffer();
    latencies[i] = performance.now() - due;
    if (response.status !== 200) errors++;
  }));
  const seconds = (performance.now() - started) / 1000;
  return { offered_rps: PACED_RATE, achieved_rps: Math.round(PACED / seconds), p50_ms: quantile(latencies, 0.5), p99_ms: quantile(latencies, 0.99), errors };
}

/** The limit: Node's HTTP server reading the body and checking the same HMAC, nothing else. */
async function bare(): Promise<Awaited<ReturnType<typeof load>> & { paced: Awaited<ReturnType<typeof paced>> }> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const expected = createHmac("sha256", SECRET).update(Buffer.concat(chunks)).digest();
    const given = Buffer.from(String(req.headers["x-shopify-hmac-sha256"] ?? ""), "base64");
    res.writeHead(given.length === expected.length && timingSafeEqual(given, expected) ? 200 : 401);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    return { ...(await load(url)), paced: await paced(url) };
  } finally {
    server.close();
  }
}

interface Db {
  url: string;
  /** The database file, for counting the app's handles on it (SQLite only). */
  file?: string;
  /** Jobs still to run, and jobs failed for good: the Job table on SQLite, pg-boss's own table on PostgreSQL. */
  pendingSql: string;
  failedSql: string;
  query(sql: string): Promise<number>;
  close(): Promise<void>;
}

async function sqliteDb(dir: string): Promise<Db> {
  const file = path.join(dir, "bench.sqlite");
  const url = `file:${file}`;
  execFileSync(process.execPath, [path.join(ROOT, "scripts", "db.ts"), "migrate"], { env: { ...process.env, DATABASE_URL: url }, stdio: "pipe" });
  const db = new DatabaseSync(file);
  db.exec(`INSERT INTO "Shop" (domain, currency) VALUES ('${SHOP}', 'EUR')`);
  return { url, file, pendingSql: `SELECT COUNT(*) FROM "Job" WHERE status IN ('queued', 'running')`, failedSql: `SELECT COUNT(*) FROM "Job" WHERE status = 'failed'`, query: async (sql) => Number(Object.values(db.prepare(sql).get() as object)[0]), close: async () => db.close() };
}

async function postgresDb(): Promise<Db> {
  const name = `uplift_bench_${randomBytes(4).toString("hex")}`;
  const server = new URL(POSTGRES);
  server.pathname = `/${name}`;
  const url = server.toString();
  execFileSync(process.execPath, [path.join(ROOT, "scripts", "db.ts"), "migrate"], { env: { ...process.env, DATABASE_URL: url }, stdio: "pipe" });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`INSERT INTO "Shop" (domain, currency) VALUES ($1, 'EUR')`, [SHOP]);
  return {
    url,
    pendingSql: "SELECT COUNT(*) FROM pgboss.job WHERE state IN ('created', 'retry', 'active')",
    failedSql: "SELECT COUNT(*) FROM pgboss.job WHERE state = 'failed'",
    query: async (sql) => Number(Object.values((await client.query(sql)).rows[0] as object)[0]),
    close: async () => {
      await client.end();
      const admin = new pg.Client({ connectionString: POSTGRES });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** Open file handles of a process on a file (and its WAL and shared-memory index). */
function handlesOn(pid: number | null, file: string | undefined): number | null {
  if (!pid || !file) return null;
  const fds = `/proc/${pid}/fd`;
  return readdirSync(fds).filter((fd) => {
    try {
      return readlinkSync(path.join(fds, fd)).startsWith(file);
    } catch {
      return false;
    }
  }).length;
}

/** CPU milliseconds (user and system) the process has used, from /proc: a figure the machine's other load disturbs far less than rates. */
function cpuMs(pid: number | null): number {
  if (!pid) return Number.NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** One app instance on the database under load; then its jobs drained and the orders counted. */
async function measure(db: Db) {
  const app = await appProcess({ SHOPIFY_API_KEY: "bench-key", SHOPIFY_API_SECRET: SECRET, DATABASE_URL: db.url });
  await app.start();
  try {
    const handlesBefore = handlesOn(app.pid(), db.file);
    const cpuBefore = cpuMs(app.pid());
    const figures = await load(app.url);
    const cpuPerAnswer = Number(((cpuMs(app.pid()) - cpuBefore) / DELIVERIES).toFixed(2));
    console.error(`webhooks: ${db.url.split(":")[0]} answered ${figures.rps}/s, p99 ${figures.p99_ms} ms; draining the jobs`);
    const started = performance.now();
    while ((await db.query(db.pendingSql)) > 0) await new Promise((r) => setTimeout(r, 200));
    const drainSeconds = (performance.now() - started) / 1000;
    // Then the budget's rate, offered while the worker works off what these deliveries enqueue.
    const steady = await paced(app.url);
    console.error(`webhooks: ${db.url.split(":")[0]} at ${PACED_RATE}/s offered: p99 ${steady.p99_ms} ms`);
    while ((await db.query(db.pendingSql)) > 0) await new Promise((r) => setTimeout(r, 200));
    const applied = await db.query(`SELECT COUNT(*) FROM "Order"`);
    const failed = await db.query(db.failedSql);
    return { ...figures, paced: steady, cpu_ms_per_answer: cpuPerAnswer, drain_s_after_load: Number(drainSeconds.toFixed(1)), lost: DELIVERIES + PACED - applied, failed_jobs: failed, handles: [handlesBefore, handlesOn(app.pid(), db.file)] };
  } finally {
    await app.stop();
    await db.close();
  }
}

export async function run() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "uplift-bench-webhooks-"));
  try {
    const baseline = await bare();
    console.error(`webhooks: bare Node server ${baseline.rps}/s`);
    const sqlite = await measure(await sqliteDb(dir));
    const postgres = await measure(await postgresDb());
    return {
      deliveries: DELIVERIES, connections: CONNECTIONS,
      sqlite_rps: sqlite.rps, sqlite_p50_ms: sqlite.p50_ms, sqlite_p99_ms: sqlite.p99_ms, sqlite_p99_warm_ms: sqlite.p99_warm_ms,
      postgres_rps: postgres.rps, postgres_p50_ms: postgres.p50_ms, postgres_p99_ms: postgres.p99_ms, postgres_p99_warm_ms: postgres.p99_warm_ms,
      p99_ms: Math.max(sqlite.p99_ms, postgres.p99_ms),
      // At the budget's rate (PACED_RATE offered, open loop): what a shop sending 300/s sees.
      paced_rate: PACED_RATE, paced_deliveries: PACED,
      sqlite_paced_p50_ms: sqlite.paced.p50_ms, sqlite_paced_p99_ms: sqlite.paced.p99_ms, sqlite_paced_rps: sqlite.paced.achieved_rps,
      postgres_paced_p50_ms: postgres.paced.p50_ms, postgres_paced_p99_ms: postgres.paced.p99_ms, postgres_paced_rps: postgres.paced.achieved_rps,
      bare_paced_p99_ms: baseline.paced.p99_ms,
      paced_p99_ms: Math.max(sqlite.paced.p99_ms, postgres.paced.p99_ms),
      // The app's own CPU per answer while under load (the worker holds jobs back meanwhile).
      sqlite_cpu_ms_per_answer: sqlite.cpu_ms_per_answer, postgres_cpu_ms_per_answer: postgres.cpu_ms_per_answer,
      bare_rps: baseline.rps, bare_p99_ms: baseline.p99_ms, bare_p99_warm_ms: baseline.p99_warm_ms,
      sqlite_drain_s: sqlite.drain_s_after_load, postgres_drain_s: postgres.drain_s_after_load,
      errors: sqlite.errors + postgres.errors + sqlite.paced.errors + postgres.paced.errors, failed_jobs: sqlite.failed_jobs + postgres.failed_jobs,
      lost: sqlite.lost + postgres.lost,
      // Open handles of the app on its SQLite file before and after every delivery was worked.
      sqlite_handles_before: sqlite.handles[0] ?? -1, sqlite_handles_after: sqlite.handles[1] ?? -1,
      load_average: os.loadavg()[0]!.toFixed(1),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
