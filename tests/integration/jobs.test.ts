import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER_UA, outcome, SHOP, startHarness, type Harness } from "./support/harness";

// The job system on the real database and stand-in: coalescing, leases that outlive a dead
// worker, retries with backoff through an Admin outage, and what a person sees and retries.
let harness: Harness;
let prisma: typeof import("~/db.server").default;
let queue: typeof import("~/jobs/queue.server");
const host = Buffer.from("admin.shopify.com/store/uplift-demo").toString("base64");
const outage = (requests: number) =>
  fetch(`${harness.devshop.url}/devshop/outage`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ requests }) });

beforeAll(async () => {
  // Retries a few milliseconds apart, so a test can exhaust them.
  process.env.UPLIFT_JOB_BACKOFF_MS = "5,20";
  harness = await startHarness();
  prisma = (await import("~/db.server")).default;
  queue = await import("~/jobs/queue.server");
  // Install: the first admin request exchanges the token and queues the catalog sync, the
  // backfill and the web pixel's connection.
  const page = await import("~/routes/app._index");
  const headers = { Authorization: `Bearer ${await harness.sessionToken()}`, "User-Agent": BROWSER_UA };
  await outcome(() => page.loader({ request: new Request(`http://localhost:8170/app?shop=${SHOP}&host=${host}`, { headers }), params: {}, context: {} }));
  expect(await prisma.job.count({ where: { shop: SHOP, status: "queued" } })).toBe(3);
  await harness.runJobs();
}, 120_000);
afterAll(async () => {
  delete process.env.UPLIFT_JOB_BACKOFF_MS;
  await harness.close();
});

const runs = (kind: string) => prisma.syncRun.count({ where: { shop: SHOP, kind } });

describe("jobs", () => {
  it("installing queued the catalog sync and the backfill, which ran to the right counts and learned", async () => {
    expect(await prisma.product.count({ where: { shop: SHOP } })).toBe(harness.devshop.store.products.size);
    expect(await prisma.order.count({ where: { shop: SHOP } })).toBe(harness.devshop.store.orders.size);
    expect(await prisma.recommendationModel.count({ where: { shop: SHOP } })).toBe(1);
    expect(await prisma.job.count({ where: { shop: SHOP, status: { not: "succeeded" } } })).toBe(0);
  });

  it("ten changes in a row make one offer sync", async () => {
    const before = await runs("offers");
    for (let i = 0; i < 10; i++) await queue.enqueue(SHOP, "offers.sync", {});
    expect(await harness.runJobs()).toBe(1);
    expect(await runs("offers")).toBe(before + 1);
    expect(await prisma.job.count({ where: { shop: SHOP, name: "offers.sync", error: { startsWith: "Done by job" } } })).toBe(9);
  });

  it("a job whose worker died is taken up again when its lease runs out, and its run is closed as interrupted", async () => {
    await queue.enqueue(SHOP, "catalog.sync", {});
    // A worker claims the job, starts its run, and dies (no renewal, no result).
    const dead = await queue.claimJob({ worker: "dead-worker", leaseMs: 150 });
    expect(dead?.name).toBe("catalog.sync");
    const cutOff = await prisma.syncRun.create({ data: { shop: SHOP, kind: "catalog", status: "running", jobId: dead!.id, done: 10 } });
    // While the lease holds, nobody else takes it, and the admin shows the run as running.
    expect(await queue.claimJob({ worker: "other", leaseMs: 1000 })).toBeNull();
    const { latestSyncRun } = await import("~/catalog/sync.server");
    expect((await latestSyncRun(SHOP, "catalog"))?.status).toBe("running");
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Once the lease has run out nobody holds the run: the admin says interrupted, not running.
    expect((await latestSyncRun(SHOP, "catalog"))?.status).toBe("interrupted");
    expect(await harness.runJobs()).toBe(1);
    const job = await prisma.job.findUniqueOrThrow({ where: { id: dead!.id } });
    expect([job.status, job.attempts]).toEqual(["succeeded", 2]);
    expect((await prisma.syncRun.findUniqueOrThrow({ where: { id: cutOff.id } })).status).toBe("failed");
    const last = await prisma.syncRun.findFirstOrThrow({ where: { shop: SHOP, kind: "catalog" }, orderBy: { id: "desc" } });
    expect([last.status, last.done]).toEqual(["succeeded", harness.devshop.store.products.size]);
  });

  it("a rebuild waits for the catalog sync it needs, then runs", async () => {
    const sync = await queue.enqueue(SHOP, "catalog.sync", {});
    const rebuild = await queue.enqueue(SHOP, "recommend.rebuild", {});
    const { runDueJobs } = await import("~/jobs/worker.server");
    const rebuildsBefore = await runs("recommendations");
    // The rebuild alone: the catalog sync is still to do, so it steps back (no run) and asks again later.
    expect(await runDueJobs({ names: ["recommend.rebuild"] })).toBe(1);
    expect(await runs("recommendations")).toBe(rebuildsBefore);
    const later = await prisma.job.findFirstOrThrow({ where: { shop: SHOP, name: "recommend.rebuild", status: "queued" } });
    expect(later.id).not.toBe(rebuild);
    expect(later.runAt.getTime()).toBeGreaterThan(Date.now());
    // With the catalog mirrored, the rebuild that is due runs.
    expect(await runDueJobs({ names: ["catalog.sync"] })).toBe(1);
    expect((await prisma.job.findUniqueOrThrow({ where: { id: sync } })).status).toBe("succeeded");
    await prisma.job.update({ where: { id: later.id }, data: { runAt: new Date() } });
    expect(await runDueJobs({ names: ["recommend.rebuild"] })).toBe(1);
    expect(await prisma.syncRun.count({ where: { shop: SHOP, kind: "recommendations", status: "succeeded" } })).toBeGreaterThan(0);
    expect(await runs("recommendations")).toBe(rebuildsBefore + 1);
  });

  it("retries an Admin outage with backoff, then shows the failure with its reason, and a person's retry completes it", async () => {
    await outage(100_000);
    const id = await queue.enqueue(SHOP, "catalog.sync", {});
    const deadline = Date.now() + 20_000;
    while ((await prisma.job.findUniqueOrThrow({ where: { id } })).status !== "failed" && Date.now() < deadline) {
      await harness.runJobs();
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const failed = await prisma.job.findUniqueOrThrow({ where: { id } });
    expect([failed.status, failed.attempts]).toEqual(["failed", failed.maxAttempts]);
    expect(failed.error).toContain("503");
    const attention = await queue.jobsNeedingAttention(SHOP);
    expect(attention.map((j) => [j.id, j.name, j.status])).toEqual([[id, "catalog.sync", "failed"]]);
    const run = await prisma.syncRun.findFirstOrThrow({ where: { shop: SHOP, kind: "catalog" }, orderBy: { id: "desc" } });
    expect([run.status, run.error]).toEqual(["failed", failed.error]);

    await outage(0);
    expect(await queue.retryJob(SHOP, id)).toBe(true);
    expect(await queue.retryJob("someone-else.myshopify.com", id)).toBe(false);
    await harness.runJobs();
    expect((await prisma.job.findUniqueOrThrow({ where: { id } })).status).toBe("succeeded");
    expect(await queue.jobsNeedingAttention(SHOP)).toEqual([]);
  });

  it("gives up at once on a shop the app is no longer installed on", async () => {
    const id = await queue.enqueue("gone.myshopify.com", "offers.sync", {});
    await harness.runJobs();
    const job = await prisma.job.findUniqueOrThrow({ where: { id } });
    expect([job.status, job.attempts]).toEqual(["failed", 1]);
    expect(job.error).toMatch(/not reachable/);
  });
});
