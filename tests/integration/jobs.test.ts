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
}), ({ queue }) => {
  it("folds the keyed jobs waiting when one starts into it", async () => {
    const prisma = (await import("~/db.server")).default;
    for (let i = 0; i < 10; i++) await queue().enqueue("uplift-demo.myshopify.com", "offers.sync", {});
    const { runDueJobs } = await import("~/jobs/worker.server");
    expect(await runDueJobs()).toBe(1);
    expect(await prisma.job.count({ where: { name: "offers.sync", error: { startsWith: "Done by job" } } })).toBeGreaterThanOrEqual(9);
  });
});
