import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtempSync, readdirSync, readlinkSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startDevshop, type Devshop } from "../devshop/server.ts";
import { mintSessionToken } from "../devshop/session-token.ts";
import { APP_ID, restProduct } from "../devshop/views.ts";
import { freePort } from "../../scripts/stack.ts";
import { appProcess, type AppProcess } from "./support/app-process";
import { API_KEY, API_SECRET, BROWSER_UA, SHOP } from "./support/harness";

// Nothing is lost: the built app, as its own process, is killed with SIGKILL in the middle of
// each kind of work and started again; every piece of work completes, with the right counts.
const ROOT = path.resolve(__dirname, "../..");
let dir: string;
let devshop: Devshop;
let app: AppProcess;
let prisma: typeof import("~/db.server").default;
const host = Buffer.from("admin.shopify.com/store/uplift-demo").toString("base64");

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 120_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; the app's work: ${await workState()}`);
    await sleep(intervalMs);
  }
}
/** What the app's jobs and runs say, for a failure's message. */
async function workState(): Promise<string> {
  const jobs = await prisma.job.findMany({ select: { name: true, status: true, attempts: true, error: true, runAt: true, leaseUntil: true } });
  const runs = await prisma.syncRun.findMany({ select: { id: true, kind: true, status: true, done: true, total: true, error: true } });
  return JSON.stringify({ now: new Date(), jobs, runs });
}
const latestRun = (kind: string) => prisma.syncRun.findFirst({ where: { shop: SHOP, kind }, orderBy: { id: "desc" } });
const devshopPost = (pathname: string, body: unknown) =>
  fetch(`${devshop.url}${pathname}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "uplift-crash-"));
  const databaseUrl = `file:${path.join(dir, "app.sqlite")}`;
  execFileSync(process.execPath, [path.join(ROOT, "scripts", "db.ts"), "migrate"], { env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: "pipe" });
  process.env.DATABASE_URL = databaseUrl;
  const port = await freePort();
  // A small throttle bucket, so the catalog sync takes long enough to be cut off.
  devshop = await startDevshop({
    dataDir: path.join(dir, "devshop"), shop: SHOP, apiKey: API_KEY, apiSecret: API_SECRET, appUrl: `http://localhost:${port}`,
    throttle: { maximumAvailable: 1000, restoreRate: 1000 }, webhookRetryDelaysMs: [500, 1000, 2000, 4000],
  });
  app = await appProcess({
    SHOPIFY_API_KEY: API_KEY, SHOPIFY_API_SECRET: API_SECRET, DATABASE_URL: databaseUrl, DEVSHOP_URL: devshop.url,
    UPLIFT_JOB_LEASE_MS: "5000", UPLIFT_JOB_LOG: "1", UPLIFT_JOB_POLL_MS: "100", UPLIFT_JOB_BACKOFF_MS: "200,1000",
  }, port);
  await app.start();
  prisma = (await import("~/db.server")).default;
  // Seeding 34,000 orders and starting the built app took over a minute on a loaded machine.
}, 180_000);

afterAll(async () => {
  await app?.stop();
  await devshop?.close();
  await prisma?.$disconnect();
  rmSync(dir, { recursive: true, force: true });
});

/** Open file handles of the app's process on its SQLite database (and its WAL and index). */
function databaseHandles(): number {
  const fds = path.join("/proc", String(app.pid()), "fd");
  return readdirSync(fds).filter((fd) => {
    try {
      return readlinkSync(path.join(fds, fd)).startsWith(path.join(dir, "app.sqlite"));
    } catch {
      return false;
    }
  }).length;
}

describe("kill -9 at any moment", () => {
  it("installing, killed during the catalog sync: after a restart the catalog and the order history are whole", async () => {
    const token = await mintSessionToken({ shop: SHOP, apiKey: API_KEY, apiSecret: API_SECRET });
    const installed = await fetch(`${app.url}/app?shop=${SHOP}&host=${host}`, { headers: { Authorization: `Bearer ${token}`, "User-Agent": BROWSER_UA } });
    expect(installed.status).toBe(200);
    const cut = await until("the catalog sync to be under way", async () => {
      const run = await latestRun("catalog");
      return run?.status === "running" && run.done > 0 ? run : null;
    }, 60_000, 20);
    await app.kill9();
    const products = devshop.store.products.size;
    expect((await prisma.syncRun.findUniqueOrThrow({ where: { id: cut.id } })).done).toBeLessThan(products);

    await app.start();
    await until("the catalog sync to finish", async () => (await latestRun("catalog"))?.status === "succeeded");
    await until("the backfill and the first rebuild", async () => (await latestRun("recommendations"))?.status === "succeeded", 180_000, 250);
    expect((await prisma.syncRun.findUniqueOrThrow({ where: { id: cut.id } })).status).toBe("failed");
    expect(await prisma.product.count({ where: { shop: SHOP } })).toBe(products);
    expect((await latestRun("catalog"))?.done).toBe(products);
    expect(await prisma.order.count({ where: { shop: SHOP } })).toBe(devshop.store.orders.size);
    // What the rebuild calls for (the storefront's recommendation windows) runs after it.
    await until("the jobs that follow", async () => (await prisma.job.count({ where: { shop: SHOP, status: { in: ["queued", "running"] } } })) === 0);
    expect(await prisma.job.count({ where: { shop: SHOP, status: "failed" } })).toBe(0);
  }, 300_000);

  it("killed while the order history streams in: after a restart every order is there once", async () => {
    const { enqueue } = await import("~/jobs/queue.server");
    const before = await latestRun("orders");
    await enqueue(SHOP, "orders.backfill", {});
    const cut = await until("the backfill to be streaming", async () => {
      const run = await latestRun("orders");
      return run && run.id !== before?.id && run.status === "running" && run.done > 0 ? run : null;
    }, 60_000, 10);
    await app.kill9();
    await app.start();
    await until("the backfill to finish", async () => {
      const run = await latestRun("orders");
      return run && run.id !== cut.id && run.status === "succeeded";
    });
    expect(await prisma.order.count({ where: { shop: SHOP } })).toBe(devshop.store.orders.size);
    expect(await prisma.orderLine.count({ where: { shop: SHOP } })).toBe([...devshop.store.orders.values()].reduce((n, o) => n + o.lines.length, 0));
  }, 300_000);

  it("killed during a rebuild of the recommendations: after a restart the model counts every order once", async () => {
    const { enqueue } = await import("~/jobs/queue.server");
    await until("earlier work to settle", async () => (await prisma.job.count({ where: { shop: SHOP, status: { in: ["queued", "running"] } } })) === 0, 180_000, 250);
    const before = await latestRun("recommendations");
    await enqueue(SHOP, "recommend.rebuild", {});
    await until("the rebuild to start", async () => {
      const run = await latestRun("recommendations");
      return run && run.id !== before?.id && run.status === "running";
    }, 60_000, 5);
    await app.kill9();
    await app.start();
    await until("the rebuild to finish", async () => (await latestRun("recommendations"))?.status === "succeeded");
    const orders = [...devshop.store.orders.values()];
    const kept = orders.filter((o) => !o.cancelledAt && o.lines.some((l) => l.currentQuantity > 0)).length;
    expect((await prisma.recommendationModel.findUniqueOrThrow({ where: { shop: SHOP } })).orders).toBe(kept);
  }, 300_000);

  it("an order webhook taken in but not yet worked on when the app dies is applied once after the restart", async () => {
    await app.kill9();
    await app.start({ UPLIFT_JOB_WORKER: "off" });
    const model = async () => (await prisma.recommendationModel.findUniqueOrThrow({ where: { shop: SHOP } })).orders;
    const counted = await model();
    const variant = [...devshop.store.products.values()][0]!.variants.at(-1)!;
    const placed = (await (await devshopPost("/devshop/orders", { lines: [{ variantId: variant.id }] })).json()) as { order: { id: number } };
    const orderId = `gid://shopify/Order/${placed.order.id}`;
    await until("the delivery's receipt", async () => (await prisma.webhookReceipt.count({ where: { shop: SHOP, topic: "orders/create" } })) > 0, 30_000);
    expect(await prisma.order.count({ where: { shop: SHOP, id: orderId } })).toBe(0);
    await app.kill9();
    await app.start();
    await until("the order to be applied", async () => (await model()) === counted + 1, 30_000);
    // Shopify delivers it again: answered, and nothing counts twice.
    const delivery = (await (await fetch(`${devshop.url}/devshop/webhooks`)).json() as { id: number; topic: string }[]).filter((d) => d.topic === "orders/create").at(-1)!;
    await devshopPost(`/devshop/webhooks/${delivery.id}/redeliver`, {});
    await sleep(1500);
    await until("work to settle", async () => (await prisma.job.count({ where: { shop: SHOP, status: { in: ["queued", "running"] } } })) === 0, 30_000);
    expect(await model()).toBe(counted + 1);
    expect(await prisma.order.count({ where: { shop: SHOP, id: orderId } })).toBe(1);
  }, 120_000);

  it("keeps its database handles flat through a thousand webhooks", async () => {
    await until("earlier work to settle", async () => (await prisma.job.count({ where: { shop: SHOP, status: { in: ["queued", "running"] } } })) === 0, 120_000, 250);
    const before = databaseHandles();
    const product = [...devshop.store.products.values()][0]!;
    for (let i = 0; i < 1000; i += 10) {
      await Promise.all(Array.from({ length: 10 }, async (_, j) => {
        const body = JSON.stringify(restProduct({ ...product, updatedAt: new Date(Date.UTC(2027, 0, 1) + i + j).toISOString() }));
        const response = await fetch(`${app.url}/webhooks/products`, {
          method: "POST", body, headers: {
            "Content-Type": "application/json", "X-Shopify-Topic": "products/update", "X-Shopify-Shop-Domain": SHOP, "X-Shopify-Webhook-Id": `flat-${i + j}`, "X-Shopify-API-Version": "2026-10",
            "X-Shopify-Hmac-Sha256": createHmac("sha256", API_SECRET).update(body).digest("base64"),
          },
        });
        expect(response.status).toBe(200);
      }));
    }
    await until("the deliveries' work", async () => (await prisma.job.count({ where: { shop: SHOP, status: { in: ["queued", "running"] } } })) === 0, 120_000, 250);
    expect(before).toBeGreaterThan(0);
    expect(databaseHandles()).toBeLessThanOrEqual(before + 1);
  }, 180_000);

  it("an offer import killed while it saves is done again after the restart, every offer once", async () => {
    const { exportOffers, MAX_IMPORT_OFFERS } = await import("~/offers/transfer");
    const { blankOffer } = await import("~/offers/defaults");
    const { startImport } = await import("~/offers/imports.server");
    const anchor = (await prisma.product.findFirstOrThrow({ where: { shop: SHOP, title: "Nimbus 9 smartphone" } })).id;
    const companion = (await prisma.product.findFirstOrThrow({ where: { shop: SHOP, title: "Nimbus 9 silicone case" } })).id;
    // As many as one import takes, so that saving them takes a while.
    const COUNT = MAX_IMPORT_OFFERS;
    const offers = Array.from({ length: COUNT }, (_, i) => ({
      ...blankOffer("bundle"), id: `import-${i}`, createdAt: 0, name: `Imported bundle ${i}`,
      content: [{ id: "a", weight: 100, title: "Complete your phone", body: "" }],
      bundle: { type: "fbt", anchorProductId: anchor, companions: [{ productId: companion, variantId: null, quantity: 1 }], learned: 0, discount: { type: "percentage", basisPoints: 1000 } },
    }));
    const id = await startImport(SHOP, "bundle", exportOffers(offers as never, new Date()));
    await until("the import to be saving", async () => (await prisma.offerImport.findUniqueOrThrow({ where: { id } })).status === "saving", 60_000, 5);
    await app.kill9();
    expect(await prisma.offer.count({ where: { shop: SHOP, name: { startsWith: "Imported bundle " } } })).toBe(0);
    await app.start();
    const finished = await until("the import to finish", async () => {
      const row = await prisma.offerImport.findUniqueOrThrow({ where: { id } });
      return row.status === "succeeded" || row.status === "failed" ? row : null;
    }, 120_000);
    expect([finished.status, finished.problems]).toEqual(["succeeded", null]);
    expect(await prisma.offer.count({ where: { shop: SHOP, name: { startsWith: "Imported bundle " } } })).toBe(COUNT);
    const job = await prisma.job.findFirstOrThrow({ where: { shop: SHOP, name: "offers.import" }, orderBy: { createdAt: "desc" } });
    // Cut off once, done by the next attempt.
    expect([job.status, job.attempts]).toEqual(["succeeded", 2]);
  }, 240_000);

  it("an offer saved during an Admin outage, with a restart during the outage, reaches the metafields once it ends", async () => {
    const { createOffer } = await import("~/offers/repository.server");
    const { blankOffer } = await import("~/offers/defaults");
    const product = (title: string) => prisma.product.findFirstOrThrow({ where: { shop: SHOP, title } }).then((p) => p.id);
    const anchor = await product("Nimbus 9 smartphone");
    const definition = {
      ...blankOffer("bundle"), name: "Phone essentials", status: "active" as const,
      content: [{ id: "a", weight: 100, title: "Complete your phone", body: "" }],
      bundle: { type: "fbt" as const, anchorProductId: anchor, companions: [{ productId: await product("Nimbus 9 silicone case"), variantId: null, quantity: 1 }], learned: 0, discount: { type: "percentage" as const, basisPoints: 1000 } },
    };
    await devshopPost("/devshop/outage", { requests: 1_000_000 });
    const offer = await createOffer(SHOP, definition as Parameters<typeof createOffer>[1]);
    await until("the sync to fail and wait for a retry", async () => {
      const job = await prisma.job.findFirst({ where: { shop: SHOP, name: "offers.sync" }, orderBy: { createdAt: "desc" } });
      return job?.status === "queued" && job.attempts > 0;
    }, 30_000);
    await app.kill9();
    await app.start();
    await sleep(1000);
    const metafield = () => devshop.store.metafields(anchor).find((m) => m.key === "offers" && m.namespace === `app--${APP_ID}--uplift`);
    expect(metafield()).toBeUndefined();
    await devshopPost("/devshop/outage", { requests: 0 });
    await until("the metafield", async () => metafield(), 60_000);
    expect(JSON.parse(metafield()!.value).offers.map((o: { id: string }) => o.id)).toEqual([offer.id]);
  }, 120_000);
});
