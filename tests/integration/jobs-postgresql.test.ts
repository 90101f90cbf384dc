// The job system on PostgreSQL, where it runs through pg-boss: the cases every backend shares
// (support/jobs-suite.ts), and what only a shared database has to show: a job sent inside the
// caller's transaction commits or rolls back with it. Skipped, saying why, without a reachable
// PostgreSQL (database-postgresql.test.ts fails CI for that).
import { afterAll, describe, expect, it } from "vitest";
import { dropDatabase, postgresUnavailable, throwawayDatabaseUrl } from "./support/postgres";
import { describeJobs } from "./support/jobs-suite";
import { SECOND_SHOP as SHOP } from "../devshop/seed-second.ts";

const unavailable = await postgresUnavailable();
const database = throwawayDatabaseUrl();

const pgboss = () => import("~/jobs/pgboss.server");

describe.skipIf(unavailable !== null)("PostgreSQL", () => {
  afterAll(() => dropDatabase(database.name));

  describeJobs("jobs on pg-boss", () => ({
    databaseUrl: database.url,
    // The second seeded shop: 36 products and a few hundred orders install in seconds.
    shop: SHOP,
    async abandonOne() {
      // Fetched and never heard of again: no heartbeats, no result.
      return (await (await pgboss()).fetchBossJobs(1))[0]?.id ?? null;
    },
    async anyClaimable() {
      const [job] = await (await pgboss()).fetchBossJobs(1);
      return job !== undefined;
    },
    async outliveLease(id) {
      // pg-boss's shortest heartbeat is 10 s; its supervisor (every 10 s) then takes the job back.
      const { boss, heartbeatSeconds } = await pgboss();
      const { jobView } = await import("~/jobs/queue.server");
      await new Promise((resolve) => setTimeout(resolve, heartbeatSeconds() * 1000));
      for (let tries = 0; (await jobView(SHOP, id))?.status === "running" && tries < 30; tries++) {
        await (await boss()).supervise();
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    },
  }), ({ queue }) => {
    it("a job sent in a transaction that rolls back is gone with it; one that commits is there", async () => {
      const { atomically } = await import("~/db.server");
      const before = await queue().pendingJobCount();
      let sent = "";
      await expect(atomically(async (db) => {
        sent = (await queue().enqueueJob(SHOP, "recommend.fold", {}, {}, db)).id;
        // Nobody outside the transaction sees the job before it commits…
        expect(await queue().pendingJobCount()).toBe(before);
        throw new Error("the caller's change failed");
      })).rejects.toThrow("the caller's change failed");
      // …and after the rollback it never was.
      expect(sent).not.toBe("");
      expect(await queue().jobView(SHOP, sent)).toBeNull();
      expect(await queue().pendingJobCount()).toBe(before);

      const { id } = await atomically((db) => queue().enqueueJob(SHOP, "recommend.fold", {}, {}, db));
      expect((await queue().jobView(SHOP, id))?.status).toBe("queued");
      expect(await queue().pendingJobCount()).toBe(before + 1);
      const { runDueJobs } = await import("~/jobs/worker.server");
      expect(await runDueJobs()).toBe(1);
      expect((await queue().jobView(SHOP, id))?.status).toBe("succeeded");
    });

    it("shop/redact erases the shop's jobs from pg-boss's tables too, and leaves other shops' jobs", async () => {
      const gone = await queue().enqueue("redacted.myshopify.com", "webhook", { topic: "orders/create", webhookId: "w-1", payload: { email: "someone@example.com" } });
      const kept = await queue().enqueue("kept.myshopify.com", "recommend.fold", {});
      const { forgetShop } = await import("~/shop/lifecycle.server");
      await forgetShop("redacted.myshopify.com");
      expect(await queue().jobView("redacted.myshopify.com", gone)).toBeNull();
      expect((await queue().jobView("kept.myshopify.com", kept))?.status).toBe("queued");
      const { runDueJobs } = await import("~/jobs/worker.server");
      expect(await runDueJobs()).toBe(1);
    });

    it("closes a run whose job is no longer active as interrupted, and leaves a run whose job is", async () => {
      const prisma = (await import("~/db.server")).default;
      const { fetchBossJobs, completeBossJob, closeOrphanRuns } = await pgboss();
      await queue().enqueue("live.myshopify.com", "recommend.fold", {});
      const [active] = await fetchBossJobs(1);
      const finished = await queue().enqueue("done.myshopify.com", "recommend.fold", {});
      const { runDueJobs } = await import("~/jobs/worker.server");
      expect(await runDueJobs()).toBe(1);
      const run = (jobId: string) => prisma.syncRun.create({ data: { shop: SHOP, kind: "recommendations", status: "running", jobId } });
      const [live, orphan, neverQueued] = [await run(active!.id), await run(finished), await run(crypto.randomUUID())];
      expect(await closeOrphanRuns()).toBe(2);
      const status = async (id: number) => (await prisma.syncRun.findUniqueOrThrow({ where: { id } })).status;
      expect([await status(live.id), await status(orphan.id), await status(neverQueued.id)]).toEqual(["running", "failed", "failed"]);
      expect((await prisma.syncRun.findUniqueOrThrow({ where: { id: orphan.id } })).error).toMatch(/Interrupted/);
      await completeBossJob(active!);
      expect(await closeOrphanRuns()).toBe(1);
      await prisma.syncRun.deleteMany({ where: { id: { in: [live.id, orphan.id, neverQueued.id] } } });
    });

    it("claims skip each other's locked jobs: two fetches at once get different work", async () => {
      const ids = await Promise.all(["a", "b", "c", "d"].map((n) => queue().enqueue(`${n}.myshopify.com`, "recommend.fold", {})));
      const { fetchBossJobs } = await pgboss();
      const [first, second] = await Promise.all([fetchBossJobs(2), fetchBossJobs(2)]);
      const claimed = [...first, ...second].map((job) => job.id);
      expect(new Set(claimed).size).toBe(claimed.length);
      expect(claimed.sort()).toEqual([...ids].sort());
      const { completeBossJob } = await pgboss();
      await Promise.all([...first, ...second].map(completeBossJob));
    });
  });
});
