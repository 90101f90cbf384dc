// The job system's shared behaviour, run on each backend (jobs.test.ts on SQLite's jobs table,
// jobs-postgresql.test.ts on pg-boss): install work, coalescing, a dead worker's job taken up
// again, retries with backoff through an Admin outage, what a person sees and retries, and
// giving up at once on a shop that is gone. It looks through the queue's own API only.
import { beforeAll, describe, expect, it } from "vitest";
import { BROWSER_UA, outcome, SHOP as MAIN_SHOP, startHarness, webhookRequest, type Harness } from "./harness";
import { restOrder } from "../../devshop/views.ts";

export interface Backend {
  /** The app's database; a fresh SQLite file when absent. */
  databaseUrl?: string;
  /** The shop installed (the stand-in's seeded SHOP when absent; a smaller second shop is quicker). */
  shop?: string;
  /** Claims the oldest due job as a worker that then dies (no renewal, no result); its id. */
  abandonOne(): Promise<string | null>;
  /** Whether any job can be claimed now. */
  anyClaimable(): Promise<boolean>;
  /** Waits until the abandoned job's lease has run out and it is claimable again. */
  outliveLease(id: string): Promise<void>;
}

export interface JobsSuite {
  harness: () => Harness;
  shop: string;
  queue: () => typeof import("~/jobs/queue.server");
}


export function describeJobs(title: string, backend: () => Backend, more?: (suite: JobsSuite) => void): void {
  describe(title, () => {
    let harness: Harness;
    let prisma: typeof import("~/db.server").default;
    let queue: typeof import("~/jobs/queue.server");
    const outage = (requests: number) =>
      fetch(`${harness.devshop.url}/devshop/outage`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ requests }) });
    const SHOP = backend().shop ?? MAIN_SHOP;
    const store = () => harness.devshop.storeFor(SHOP);
    const runs = (kind: string) => prisma.syncRun.count({ where: { shop: SHOP, kind } });
    const view = async (id: string) => (await queue.jobView(SHOP, id))!;

    beforeAll(async () => {
      // Retries a few milliseconds apart (pg-boss: at once), so a test can exhaust them.
      process.env.UPLIFT_JOB_BACKOFF_MS = "5,20";
      harness = await startHarness({ databaseUrl: backend().databaseUrl, otherShops: SHOP === MAIN_SHOP ? [] : [SHOP] });
      prisma = (await import("~/db.server")).default;
      queue = await import("~/jobs/queue.server");
      // Install: the first admin request exchanges the token and queues the catalog sync, the
      // backfill, the web pixel's connection and the offer sync (the checkout's Functions).
      const page = await import("~/routes/app._index");
      const headers = { Authorization: `Bearer ${await harness.sessionToken({ shop: SHOP })}`, "User-Agent": BROWSER_UA };
      const host = Buffer.from(`admin.shopify.com/store/${SHOP.replace(".myshopify.com", "")}`).toString("base64");
      await outcome(() => page.loader({ request: new Request(`http://localhost:8170/app?shop=${SHOP}&host=${host}`, { headers }), params: {}, context: {} }));
      expect(await queue.pendingJobCount()).toBe(4);
      await harness.runJobs();
      return async () => {
        delete process.env.UPLIFT_JOB_BACKOFF_MS;
        await harness.close();
      };
    }, 400_000);

    it("installing queued the catalog sync and the backfill, which ran to the right counts and learned", async () => {
      expect(await prisma.product.count({ where: { shop: SHOP } })).toBe(store().products.size);
      expect(await prisma.order.count({ where: { shop: SHOP } })).toBe(store().orders.size);
      expect(await prisma.recommendationModel.count({ where: { shop: SHOP } })).toBe(1);
      expect(await queue.pendingJobCount()).toBe(0);
      expect(await queue.jobsNeedingAttention(SHOP)).toEqual([]);
    });

    it("ten changes in a row make one offer sync", async () => {
      const before = await runs("offers");
      const ids = [];
      for (let i = 0; i < 10; i++) ids.push(await queue.enqueue(SHOP, "offers.sync", {}));
      expect(await queue.hasPendingJob(SHOP, "offers.sync")).toBe(true);
      expect(await harness.runJobs()).toBe(1);
      expect(await runs("offers")).toBe(before + 1);
      expect(await queue.hasPendingJob(SHOP, "offers.sync")).toBe(false);
      for (const id of ids) expect((await view(id)).status).toBe("succeeded");
    });

    it("a job whose worker died is taken up again when its lease runs out, and its run is closed as interrupted", async () => {
      await queue.enqueue(SHOP, "catalog.sync", {});
      // A worker claims the job, starts its run, and dies (no renewal, no result).
      const dead = await backend().abandonOne();
      expect(dead).not.toBeNull();
      expect((await view(dead!)).name).toBe("catalog.sync");
      const cutOff = await prisma.syncRun.create({ data: { shop: SHOP, kind: "catalog", status: "running", jobId: dead!, done: 10 } });
      // While the lease holds, nobody else takes it, and the admin shows the run as running.
      expect(await backend().anyClaimable()).toBe(false);
      const { latestSyncRun } = await import("~/catalog/sync.server");
      expect((await latestSyncRun(SHOP, "catalog"))?.status).toBe("running");
      await backend().outliveLease(dead!);
      // Nobody holds the run once the lease has run out: the admin says interrupted, not running.
      expect((await latestSyncRun(SHOP, "catalog"))?.status).toBe("interrupted");
      expect(await harness.runJobs()).toBe(1);
      const job = await view(dead!);
      expect([job.status, job.attempts]).toEqual(["succeeded", 2]);
      expect((await prisma.syncRun.findUniqueOrThrow({ where: { id: cutOff.id } })).status).toBe("failed");
      const last = await prisma.syncRun.findFirstOrThrow({ where: { shop: SHOP, kind: "catalog" }, orderBy: { id: "desc" } });
      expect([last.status, last.done]).toEqual(["succeeded", store().products.size]);
    }, 150_000);

    it("retries an Admin outage with backoff, then shows the failure with its reason, and a person's retry completes it", async () => {
      await outage(100_000);
      const id = await queue.enqueue(SHOP, "catalog.sync", {});
      const deadline = Date.now() + 20_000;
      while ((await view(id)).status !== "failed" && Date.now() < deadline) {
        await harness.runJobs();
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const failed = await view(id);
      expect([failed.status, failed.attempts]).toEqual(["failed", failed.maxAttempts]);
      expect(failed.maxAttempts).toBeGreaterThan(1);
      expect(failed.error).toContain("503");
      const attention = await queue.jobsNeedingAttention(SHOP);
      expect(attention.map((j) => [j.id, j.name, j.status])).toEqual([[id, "catalog.sync", "failed"]]);
      const run = await prisma.syncRun.findFirstOrThrow({ where: { shop: SHOP, kind: "catalog" }, orderBy: { id: "desc" } });
      expect([run.status, run.error]).toEqual(["failed", failed.error]);

      await outage(0);
      expect(await queue.retryJob(SHOP, id)).toBe(true);
      expect(await queue.retryJob("someone-else.myshopify.com", id)).toBe(false);
      await harness.runJobs();
      expect((await view(id)).status).toBe("succeeded");
      expect(await queue.jobsNeedingAttention(SHOP)).toEqual([]);
    }, 150_000);

    it("gives up at once on a shop the app is no longer installed on", async () => {
      const id = await queue.enqueue("gone.myshopify.com", "offers.sync", {});
      await harness.runJobs();
      const job = (await queue.jobView("gone.myshopify.com", id))!;
      expect([job.status, job.attempts]).toEqual(["failed", 1]);
      expect(job.maxAttempts).toBeGreaterThan(1);
      expect(job.error).toMatch(/not reachable/);
    });

    it("runs what waits for a commit (a worker's wake-up) after the transaction commits, and never after a rollback", async () => {
      // enqueueJob wakes the local worker this way; the stand-in's own webhooks may enqueue work
      // at any moment, so the hook is watched directly rather than through the worker.
      const { afterCommit, atomically } = await import("~/db.server");
      const heard: string[] = [];
      await atomically(async (db) => {
        await queue.enqueueJob(SHOP, "recommend.fold", {}, {}, db);
        afterCommit(db, () => heard.push("committed"));
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(heard).toEqual([]);
      });
      expect(heard).toEqual(["committed"]);
      await atomically(async (db) => {
        afterCommit(db, () => heard.push("rolled back"));
        throw new Error("rolled back");
      }).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(heard).toEqual(["committed"]);
      await harness.runJobs();
    });

    it("a burst of order deliveries, each sent twice at once, is recorded and worked once per order", async () => {
      const orders = () => prisma.order.count({ where: { shop: SHOP } });
      const before = await orders();
      const template = restOrder([...store().orders.values()][0]!);
      const burst = Array.from({ length: 30 }, (_, i) => ({ webhookId: crypto.randomUUID(), order: {
        ...template, id: 9_000_000 + i, admin_graphql_api_id: `gid://shopify/Order/${9_000_000 + i}`,
        line_items: template.line_items.map((line, j) => ({ ...line, id: 90_000_000 + i * 10 + j })),
      } }));
      const { action } = await import("~/routes/webhooks.orders");
      const deliver = ({ webhookId, order }: (typeof burst)[number]) =>
        outcome(() => action({ request: webhookRequest("/webhooks/orders", "orders/create", order, { webhookId, shop: SHOP }), params: {}, context: {} }));
      const answers = await Promise.all([...burst, ...burst].map(deliver));
      expect(answers.every((a) => a.status === 200)).toBe(true);
      expect(await queue.pendingJobCount()).toBe(30);
      await harness.runJobs();
      expect(await orders()).toBe(before + 30);
      expect(await prisma.webhookReceipt.count({ where: { webhookId: { in: burst.map((b) => b.webhookId) } } })).toBe(30);
    });

    more?.({ harness: () => harness, queue: () => queue, shop: SHOP });
  });
}
