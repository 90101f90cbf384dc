import { expect, it } from "vitest";
import { describeJobs } from "./support/jobs-suite";

// The job system on SQLite's jobs table, with the real stand-in (the shared cases are in
// support/jobs-suite.ts; jobs-postgresql.test.ts runs them on pg-boss).
describeJobs("jobs on the jobs table (SQLite)", () => ({
  async abandonOne() {
    const { claimJob } = await import("~/jobs/queue.server");
    return (await claimJob({ worker: "dead-worker", leaseMs: 150 }))?.id ?? null;
  },
  async anyClaimable() {
    const { claimJob } = await import("~/jobs/queue.server");
    return (await claimJob({ worker: "other", leaseMs: 1000 })) !== null;
  },
  outliveLease: () => new Promise((resolve) => setTimeout(resolve, 200)),
}), ({ queue, harness }) => {
  it("a rebuild waits for the catalog sync it needs, then runs", async () => {
    const SHOP = "uplift-demo.myshopify.com";
    const prisma = (await import("~/db.server")).default;
    const { runDueJobs } = await import("~/jobs/worker.server");
    const runs = () => prisma.syncRun.count({ where: { shop: SHOP, kind: "recommendations" } });
    await queue().enqueue(SHOP, "catalog.sync", {});
    await queue().enqueue(SHOP, "recommend.rebuild", {});
    const before = await runs();
    // The rebuild alone: the catalog sync is still to do, so it steps back (no run) and asks again later.
    expect(await runDueJobs({ names: ["recommend.rebuild"] })).toBe(1);
    expect(await runs()).toBe(before);
    expect(await queue().hasPendingJob(SHOP, "recommend.rebuild")).toBe(true);
    expect(await runDueJobs({ names: ["recommend.rebuild"] })).toBe(0);
    expect(await runDueJobs({ names: ["catalog.sync"] })).toBe(1);
    // With the catalog mirrored, the rebuild runs when it is due (5 s after it stepped back).
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    expect(await runDueJobs({ names: ["recommend.rebuild"] })).toBe(1);
    expect(await runs()).toBe(before + 1);
    // And what the rebuild calls for (the storefront's windows).
    await harness().runJobs();
    expect(await queue().hasPendingJob(SHOP, "recommend.rebuild")).toBe(false);
  }, 150_000);


  it("folds the keyed jobs waiting when one starts into it", async () => {
    const prisma = (await import("~/db.server")).default;
    for (let i = 0; i < 10; i++) await queue().enqueue("uplift-demo.myshopify.com", "offers.sync", {});
    const { runDueJobs } = await import("~/jobs/worker.server");
    expect(await runDueJobs()).toBe(1);
    expect(await prisma.job.count({ where: { name: "offers.sync", error: { startsWith: "Done by job" } } })).toBeGreaterThanOrEqual(9);
  });
});
