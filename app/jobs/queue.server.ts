// The one job system: every piece of background work is a job, enqueued in the same
// transaction as the state that calls for it, so work that must happen can never be lost
// between the change and the work. Workers (worker.server.ts) run due jobs under a lease they
// keep renewing; a job whose worker died is taken up again when its lease runs out.
//
// Two backends behind this one API, chosen by `jobBackend()`:
// - PostgreSQL (several app instances): pg-boss, in pgboss.server.ts;
// - SQLite (the embedded default, one process): the Job table, below. A claim is a
//   conditional update that only one worker can win, and nothing that matters lives in memory.
import { randomUUID } from "node:crypto";
import prisma, { afterCommit, atomically, type Db } from "~/db.server";
import { databaseKind, databaseUrl } from "~/db.config";
import { backoffPolicyFromEnv, retryDelayMs } from "./backoff";
import { classifyFailure, failureMessage } from "./failures";
import * as pgboss from "./pgboss.server";

/** Every job and its payload. A key makes jobs coalesce: see `enqueue`. */
export interface JobPayloads {
  /** Mirror the shop's catalog (after install, or when the merchant asks). */
  "catalog.sync": Record<string, never>;
  /** Backfill the order history with a bulk operation. */
  "orders.backfill": Record<string, never>;
  /** Check and save a merchant's offer import (app/offers/imports.server.ts). */
  "offers.import": { importId: string };
  /** Bring the shop's metafields up to date with its offers and settings. */
  "offers.sync": Record<string, never>;
  /** An offer starts or ends at `at` (ms): the checkout's Functions, which have no clock, need a sync then. */
  "offers.tick": { at: number };
  /** Exchange the shop's non-expiring offline token for an expiring pair. */
  "tokens.migrate": Record<string, never>;
  /** Relearn the shop's recommendations from every mirrored order. */
  "recommend.rebuild": Record<string, never>;
  /** Fold the orders changed since into the learned model. */
  "recommend.fold": Record<string, never>;
  /** Create or update the shop's web pixel (extensions/pixel) with this app's settings. */
  "pixel.connect": Record<string, never>;
  /** Write the recommendation windows the storefront block reads to metafields. */
  "recommend.publish": Record<string, never>;
  /** Write the deal-of-the-day schedule the storefront block reads to a metafield. */
  "deals.sync": Record<string, never>;
  /** A verified webhook delivery, processed after Shopify has had its 200. */
  webhook: { topic: string; webhookId: string; payload: unknown };
}

export type JobName = keyof JobPayloads;

/** The one place the backend is chosen: pg-boss on PostgreSQL, the Job table on SQLite. */
export function jobBackend(): "pg-boss" | "table" {
  return databaseKind(databaseUrl()) === "postgresql" ? "pg-boss" : "table";
}

export interface JobSpec {
  /** Attempts before the job fails for a person to look at. */
  maxAttempts: number;
  /** Work that is the same for the whole shop (a sync) coalesces on this key. */
  keyed: boolean;
}

const SPECS: Record<JobName, JobSpec> = {
  "catalog.sync": { maxAttempts: 8, keyed: true },
  "orders.backfill": { maxAttempts: 8, keyed: true },
  "offers.sync": { maxAttempts: 10, keyed: true },
  "offers.tick": { maxAttempts: 10, keyed: false },
  "offers.import": { maxAttempts: 5, keyed: false },
  "recommend.rebuild": { maxAttempts: 5, keyed: true },
  "tokens.migrate": { maxAttempts: 8, keyed: true },
  "recommend.fold": { maxAttempts: 10, keyed: true },
  "pixel.connect": { maxAttempts: 8, keyed: true },
  "recommend.publish": { maxAttempts: 8, keyed: true },
  "deals.sync": { maxAttempts: 10, keyed: true },
  webhook: { maxAttempts: 10, keyed: false },
};

export interface EnqueueOptions {
  /** Run no earlier than this many milliseconds from now. */
  delayMs?: number;
}

/** The key keyed jobs coalesce on: one per job name and shop. */
export const jobKey = (name: JobName, shop: string) => `${name}:${shop}`;

const listeners = new Set<() => void>();

const notifyEnqueued = () => listeners.forEach((listener) => listener());

/** Called after a job enqueued in this process is committed, so a local worker can start at once. */
export function onEnqueue(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Enqueues a job; given the `db` of the caller's transaction (`atomically`), beside the state
 * that calls for it. Keyed jobs coalesce:
 * however many are waiting when one starts, that one does the work of all of them (their
 * work reads the database when it runs, so it sees every change committed before).
 */
export async function enqueueJob<N extends JobName>(shop: string, name: N, payload: JobPayloads[N], options: EnqueueOptions = {}, db: Db = prisma): Promise<{ id: string }> {
  const spec = SPECS[name];
  afterCommit(db, notifyEnqueued);
  if (jobBackend() === "pg-boss") return pgboss.sendJob(shop, name, payload, spec, spec.keyed ? jobKey(name, shop) : null, options, db);
  return await db.job.create({ data: tableRow(shop, name, payload, new Date(Date.now() + (options.delayMs ?? 0))), select: { id: true } });
}

/** A queued job's row on the jobs table. */
function tableRow<N extends JobName>(shop: string, name: N, payload: JobPayloads[N], runAt: Date) {
  const spec = SPECS[name];
  return { id: randomUUID(), shop, name, key: spec.keyed ? jobKey(name, shop) : null, payload: JSON.stringify(payload ?? {}), status: "queued", maxAttempts: spec.maxAttempts, runAt };
}

/**
 * Enqueues many jobs of one unkeyed kind in one statement, in the caller's transaction: a group
 * of webhook deliveries written together (app/webhooks/receipts.server.ts).
 */
export async function enqueueJobs<N extends JobName>(name: N, jobs: readonly { shop: string; payload: JobPayloads[N] }[], db: Db): Promise<void> {
  const spec = SPECS[name];
  if (spec.keyed) throw new Error(`${name} jobs are keyed: enqueue them one by one with enqueueJob.`);
  if (!jobs.length) return;
  afterCommit(db, notifyEnqueued);
  if (jobBackend() === "pg-boss") return pgboss.insertJobs(jobs, name, spec, db);
  const now = new Date();
  await db.job.createMany({ data: jobs.map(({ shop, payload }) => ({ ...tableRow(shop, name, payload, now), createdAt: now })) });
}

/** Enqueues on its own, for work that follows no state change of ours (a merchant's "sync now"). */
export async function enqueue<N extends JobName>(shop: string, name: N, payload: JobPayloads[N], options: EnqueueOptions = {}): Promise<string> {
  return (await enqueueJob(shop, name, payload, options)).id;
}

export interface ClaimedJob {
  id: string;
  shop: string;
  name: JobName;
  key: string | null;
  payload: unknown;
  /** This attempt, from 1. */
  attempt: number;
  maxAttempts: number;
}

export interface ClaimOptions {
  worker: string;
  leaseMs: number;
  /** Job names this worker runs; all when absent. */
  names?: readonly JobName[];
  /**
   * Jobs this process is running: never claimed again by it, even when a long stall (a busy
   * event loop) let the lease lapse before its renewal got through.
   */
  exclude?: ReadonlySet<string>;
  now?: Date;
}

const CANDIDATES = 20;

/**
 * Claims one due job: queued and due, or running with a lease that ran out (its worker died).
 * A keyed job is not claimed while another job with its key holds a live lease, so one shop's
 * sync never runs twice at once; when it is claimed, the jobs waiting with its key are folded
 * into it.
 */
export async function claimJob(options: ClaimOptions): Promise<ClaimedJob | null> {
  const now = options.now ?? new Date();
  const names = options.names ? { name: { in: [...options.names] } } : {};
  const exclude = options.exclude?.size ? { id: { notIn: [...options.exclude] } } : {};
  const candidates = await prisma.job.findMany({
    where: { ...names, ...exclude, OR: [{ status: "queued", runAt: { lte: now } }, { status: "running", leaseUntil: { lt: now } }] },
    orderBy: { runAt: "asc" },
    take: CANDIDATES,
  });
  if (!candidates.length) return null;
  const keys = [...new Set(candidates.map((c) => c.key).filter((k): k is string => k !== null))];
  const busy = new Set(
    keys.length
      ? (await prisma.job.findMany({ where: { key: { in: keys }, status: "running", leaseUntil: { gte: now } }, select: { key: true } })).map((j) => j.key)
      : [],
  );
  for (const job of candidates) {
    if (job.key && busy.has(job.key)) continue;
    if (job.status === "running" && job.attempts >= job.maxAttempts) {
      // Its worker died on every attempt: something about this job kills the process.
      await settle(job.id, job.attempts, { status: "failed", error: "The worker stopped during every attempt.", now });
      continue;
    }
    // Only one worker can move the row from the state it read: the others update nothing.
    const { count } = await prisma.job.updateMany({
      where: { id: job.id, status: job.status, attempts: job.attempts },
      data: { status: "running", attempts: job.attempts + 1, leaseUntil: new Date(now.getTime() + options.leaseMs), worker: options.worker },
    });
    if (count !== 1) continue;
    if (job.key) {
      await prisma.job.updateMany({
        where: { key: job.key, status: "queued", id: { not: job.id }, createdAt: { lte: now } },
        data: { status: "succeeded", finishedAt: now, error: `Done by job ${job.id}` },
      });
    }
    return {
      id: job.id, shop: job.shop, name: job.name as JobName, key: job.key, payload: JSON.parse(job.payload) as unknown,
      attempt: job.attempts + 1, maxAttempts: job.maxAttempts,
    };
  }
  return null;
}

/** Extends a running job's lease; false when the job is no longer this worker's. */
export async function renewLease(job: ClaimedJob, worker: string, leaseMs: number): Promise<boolean> {
  const { count } = await prisma.job.updateMany({
    where: { id: job.id, status: "running", worker, attempts: job.attempt },
    data: { leaseUntil: new Date(Date.now() + leaseMs) },
  });
  return count === 1;
}

async function settle(id: string, attempts: number, outcome: { status: "succeeded" | "failed" | "queued"; error?: string | null; runAt?: Date; now?: Date }) {
  const now = outcome.now ?? new Date();
  await atomically(async (db) => {
    await db.job.updateMany({
      where: { id, attempts },
      data: {
        status: outcome.status, error: outcome.error ?? null, leaseUntil: null,
        ...(outcome.status === "queued" ? { runAt: outcome.runAt ?? now } : { finishedAt: now }),
      },
    });
    // A run the job was doing is over, whatever comes next: a retry starts a run of its own.
    if (outcome.status !== "succeeded") {
      await db.syncRun.updateMany({ where: { jobId: id, status: "running" }, data: { status: "failed", error: outcome.error ?? "Interrupted", finishedAt: now } });
    }
  });
}

export async function completeJob(job: ClaimedJob): Promise<void> {
  await settle(job.id, job.attempt, { status: "succeeded" });
}

export interface FailureOutcome {
  kind: ReturnType<typeof classifyFailure>;
  retryAt: Date | null;
  message: string;
}

/**
 * Records a failed attempt: a transient failure is retried after a backoff while attempts
 * remain; anything else (or the last attempt) fails the job, for the admin to show with its
 * reason and a retry button. A shop that is gone (uninstalled) has nothing left to do.
 */
export async function failJob(job: ClaimedJob, error: unknown, now = new Date()): Promise<FailureOutcome> {
  const kind = classifyFailure(error);
  const message = failureMessage(error);
  if (kind === "transient" && job.attempt < job.maxAttempts) {
    const retryAt = new Date(now.getTime() + retryDelayMs(job.attempt, backoffPolicyFromEnv(), Math.random()));
    await settle(job.id, job.attempt, { status: "queued", error: message, runAt: retryAt, now });
    return { kind, retryAt, message };
  }
  await settle(job.id, job.attempt, { status: "failed", error: kind === "gone" ? `The shop is not reachable: ${message}` : message, now });
  return { kind, retryAt: null, message };
}

export interface JobView {
  id: string;
  name: JobName;
  status: string;
  attempts: number;
  maxAttempts: number;
  error: string | null;
  runAt: string;
  finishedAt: string | null;
}

const toView = (j: { id: string; name: string; status: string; attempts: number; maxAttempts: number; error: string | null; runAt: Date; finishedAt: Date | null }): JobView => ({
  id: j.id, name: j.name as JobName, status: j.status, attempts: j.attempts, maxAttempts: j.maxAttempts, error: j.error,
  runAt: j.runAt.toISOString(), finishedAt: j.finishedAt?.toISOString() ?? null,
});

/**
 * The shop's jobs that need a person: failed ones not since superseded by a newer job of the
 * same work, and ones waiting to retry after a failure.
 */
export async function jobsNeedingAttention(shop: string): Promise<JobView[]> {
  if (jobBackend() === "pg-boss") return pgboss.bossJobsNeedingAttention(shop);
  const rows = await prisma.job.findMany({
    where: { shop, OR: [{ status: "failed" }, { status: "queued", error: { not: null }, attempts: { gt: 0 } }] },
    orderBy: { createdAt: "desc" },
    take: 50,
  });
  const superseded = async (row: (typeof rows)[number]) =>
    row.status === "failed" && row.key !== null &&
    (await prisma.job.count({ where: { key: row.key, createdAt: { gt: row.createdAt }, status: { in: ["succeeded", "running", "queued"] } } })) > 0;
  const views: JobView[] = [];
  for (const row of rows) if (!(await superseded(row))) views.push(toView(row));
  return views;
}

/** A person's retry of a failed job: it runs again now, with its attempts counted afresh. */
export async function retryJob(shop: string, id: string): Promise<boolean> {
  if (jobBackend() === "pg-boss") return pgboss.retryBossJob(shop, id, (name) => SPECS[name]);
  const { count } = await prisma.job.updateMany({
    where: { id, shop, status: { in: ["failed", "queued"] } },
    data: { status: "queued", attempts: 0, runAt: new Date(), error: null, finishedAt: null },
  });
  if (count) setImmediate(notifyEnqueued);
  return count === 1;
}

/** Whether a worker holds the job now: it is running and its lease has not run out. */
export async function holdsLiveLease(jobId: string, now = new Date()): Promise<boolean> {
  if (jobBackend() === "pg-boss") return pgboss.bossHoldsLiveLease(jobId);
  return (await prisma.job.count({ where: { id: jobId, status: "running", leaseUntil: { gt: now } } })) > 0;
}

/** Whether the shop has work of this name still to do (queued or running). */
export async function hasPendingJob(shop: string, name: JobName): Promise<boolean> {
  if (jobBackend() === "pg-boss") return pgboss.bossHasPendingJob(shop, name);
  return (await prisma.job.count({ where: { shop, name, status: { in: ["queued", "running"] } } })) > 0;
}

/** Finished jobs are kept a week for the admin and for debugging, then removed. */
export async function purgeFinishedJobs(olderThanMs = 7 * 24 * 3_600_000): Promise<number> {
  const { count } = await prisma.job.deleteMany({ where: { status: "succeeded", finishedAt: { lt: new Date(Date.now() - olderThanMs) } } });
  return count;
}

/** One of the shop's jobs as the admin shows it, or null (another shop's, or gone). */
export async function jobView(shop: string, id: string): Promise<JobView | null> {
  if (jobBackend() === "pg-boss") return pgboss.bossJobView(shop, id);
  const row = await prisma.job.findFirst({ where: { id, shop } });
  return row ? toView(row) : null;
}

/** Jobs of every shop still to do or being done, for tests and scripts that wait for quiet. */
export async function pendingJobCount(): Promise<number> {
  if (jobBackend() === "pg-boss") return pgboss.bossPendingCount();
  return prisma.job.count({ where: { status: { in: ["queued", "running"] } } });
}

/** shop/redact: the shop's jobs that live outside the app's tables go with the shop's rows. */
export async function forgetShopJobs(shop: string, db: Db): Promise<void> {
  if (jobBackend() === "pg-boss") await pgboss.forgetBossJobs(shop, db);
}
