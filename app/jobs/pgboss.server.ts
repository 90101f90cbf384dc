// The job system on PostgreSQL: pg-boss (https://github.com/timgit/pg-boss), an established
// queue that claims jobs with SELECT … FOR UPDATE SKIP LOCKED, so several app instances share
// the work without colliding. queue.server.ts chooses this backend on PostgreSQL and keeps one
// API for both databases; this module only speaks pg-boss.
//
// How the app's promises map onto pg-boss:
// - one queue, `uplift`, with the `stately` policy: at most one job per key waiting and one
//   running. A keyed job (one sync per shop and kind) is sent with its key, so ten offer edits
//   in a second leave one waiting job; an unkeyed job (a webhook) gets a key of its own.
//   One queue keeps the oldest-first order across kinds that the table backend has.
// - `send` runs through the caller's Prisma transaction (pg-boss's `db` option with its
//   `fromPrisma` adapter): the job commits, or rolls back, with the state that calls for it.
// - retries: pg-boss's exponential backoff, capped; a permanent failure fails at once.
// - leases: heartbeats while a job runs; pg-boss's supervisor takes a job whose heartbeats
//   stopped (its worker died) back to retry.
import { randomUUID } from "node:crypto";
import { Prisma } from "@prisma/client";
import { fromPrisma, PgBoss, type Db as IDatabase, type JobWithMetadata } from "pg-boss";
import prisma, { atomically, type Db } from "~/db.server";
import { databaseUrl, postgresConnection } from "~/db.config";
import { backoffPolicyFromEnv, pgBossRetryOptions } from "./backoff";
import { classifyFailure, failureMessage } from "./failures";
import type { ClaimedJob, EnqueueOptions, FailureOutcome, JobName, JobPayloads, JobSpec, JobView } from "./queue.server";

export const QUEUE = "uplift";

/** What each pg-boss job carries: our job's name, its shop and its payload. */
interface BossData {
  shop: string;
  kind: JobName;
  payload: unknown;
  /** The job's attempts when sent (pg-boss's limit is spent early by a permanent failure). */
  maxAttempts: number;
}

const envNumber = (name: string, fallback: number) => Number(process.env[name]) || fallback;

/** pg-boss keeps its tables in a schema of its own, beside the app's. */
export function bossSchema(): string {
  const { schema } = postgresConnection(databaseUrl());
  return schema ? `${schema}_pgboss` : "pgboss";
}

/** Seconds without a heartbeat after which a running job counts as abandoned (pg-boss's minimum is 10). */
export const heartbeatSeconds = () => Math.max(10, Math.round(envNumber("UPLIFT_JOB_LEASE_MS", 30_000) / 1000));

/** A job may run this long before pg-boss gives up on it; liveness is the heartbeat's business. */
const EXPIRE_SECONDS = 4 * 3_600;
/** Finished jobs are kept a week for the admin and for debugging, as on the jobs table. */
const KEEP_SECONDS = 7 * 24 * 3_600;

declare global {
  // One pg-boss per process, kept across Vite's hot reloads in development.
  var upliftBoss: Promise<PgBoss> | undefined;
}

/** This process's pg-boss, started (its schema installed or migrated) on first use. */
export function boss(): Promise<PgBoss> {
  globalThis.upliftBoss ??= (async () => {
    const { connectionString, options } = postgresConnection(databaseUrl());
    const instance = new PgBoss({
      connectionString, options, schema: bossSchema(),
      // Its own small pool beside Prisma's: fetches, heartbeats and settling.
      max: envNumber("UPLIFT_JOB_POOL", 4),
      application_name: "uplift-jobs",
      schedule: false,
      // Abandoned jobs are looked for this often (and their heartbeats are at least 10 s): the
      // supervisor's pass only expires jobs when the monitor's interval has passed too.
      superviseIntervalSeconds: envNumber("UPLIFT_JOB_SUPERVISE_S", 10),
      monitorIntervalSeconds: envNumber("UPLIFT_JOB_SUPERVISE_S", 10),
    });
    instance.on("error", (error) => console.error("uplift: pg-boss:", error));
    await instance.start();
    if (!(await instance.getQueue(QUEUE).catch(() => null))) {
      await instance.createQueue(QUEUE, { policy: "stately" }).catch(async (error: unknown) => {
        // Another instance created it meanwhile.
        if (!(await instance.getQueue(QUEUE).catch(() => null))) throw error;
      });
    }
    return instance;
  })().catch((error: unknown) => {
    globalThis.upliftBoss = undefined;
    throw error;
  });
  return globalThis.upliftBoss;
}

export async function stopBoss(): Promise<void> {
  const started = globalThis.upliftBoss;
  globalThis.upliftBoss = undefined;
  if (started) await (await started).stop({ graceful: true, timeout: 10_000 }).catch(() => undefined);
}

/** pg-boss's executor for the caller's transaction (or the app's Prisma client). */
const executor = (db: Db): IDatabase => fromPrisma(db as Parameters<typeof fromPrisma>[0]);

/** How every job is kept: its retries, heartbeats and lifetime. */
const jobOptions = (spec: JobSpec) => ({
  ...pgBossRetryOptions(spec.maxAttempts, backoffPolicyFromEnv()),
  heartbeatSeconds: heartbeatSeconds(), expireInSeconds: EXPIRE_SECONDS, deleteAfterSeconds: KEEP_SECONDS,
});

const bossData = <N extends JobName>(shop: string, name: N, payload: JobPayloads[N], spec: JobSpec): BossData => ({ shop, kind: name, payload: payload ?? {}, maxAttempts: spec.maxAttempts });

/** Sends a job; given a transaction's `db`, it commits or rolls back with it. */
export async function sendJob<N extends JobName>(shop: string, name: N, payload: JobPayloads[N], spec: JobSpec, key: string | null, options: EnqueueOptions, db: Db): Promise<{ id: string }> {
  const instance = await boss();
  const id = randomUUID();
  const singletonKey = key ?? `${name}:${id}`;
  const sent = await instance.send(QUEUE, bossData(shop, name, payload, spec), {
    id, singletonKey,
    ...(options.delayMs ? { startAfter: new Date(Date.now() + options.delayMs) } : {}),
    ...jobOptions(spec),
    db: executor(db),
  });
  if (sent) return { id: sent };
  // A job with this key is waiting already: it does this work too (it reads the database when
  // it runs), so its id is this work's.
  const { rows } = await executor(db).executeSql(
    `SELECT id::text AS id FROM ${bossSchema()}.job WHERE name = $1 AND singleton_key = $2 AND state < 'active' ORDER BY created_on DESC LIMIT 1`,
    [QUEUE, singletonKey],
  );
  return { id: (rows[0] as { id?: string } | undefined)?.id ?? id };
}

/** Sends unkeyed jobs in one statement (pg-boss's `insert`), in the caller's transaction. */
export async function insertJobs<N extends JobName>(jobs: readonly { shop: string; payload: JobPayloads[N] }[], name: N, spec: JobSpec, db: Db): Promise<void> {
  if (!jobs.length) return;
  const instance = await boss();
  await instance.insert(QUEUE, jobs.map(({ shop, payload }) => {
    const id = randomUUID();
    return { id, singletonKey: `${name}:${id}`, data: bossData(shop, name, payload, spec), ...jobOptions(spec) };
  }), { db: executor(db) });
}

export type BossJob = JobWithMetadata<BossData>;

function toClaimed(job: BossJob): ClaimedJob {
  return {
    // An unkeyed job's singleton key is its own (name and id), not a key it shares.
    id: job.id, shop: job.data.shop, name: job.data.kind, key: job.singletonKey === `${job.data.kind}:${job.data.shop}` ? job.singletonKey : null, payload: job.data.payload,
    attempt: job.retryCount + 1, maxAttempts: job.retryLimit + 1,
  };
}

const attemptOf = (job: ClaimedJob) => ({ id: job.id, retryCount: job.attempt - 1 });

export async function completeBossJob(job: ClaimedJob): Promise<void> {
  await (await boss()).complete(QUEUE, attemptOf(job));
}

/**
 * Records a failed attempt, in one transaction with closing the run it was doing: a transient
 * failure goes back to pg-boss to retry after its backoff while attempts remain; anything else
 * fails the job now, for the admin to show with its reason and a retry button.
 */
export async function failBossJob(job: ClaimedJob, error: unknown): Promise<FailureOutcome> {
  const instance = await boss();
  const kind = classifyFailure(error);
  const message = failureMessage(error);
  const retry = kind === "transient" && job.attempt < job.maxAttempts;
  const reason = kind === "gone" ? `The shop is not reachable: ${message}` : message;
  await atomically(async (db) => {
    await db.syncRun.updateMany({ where: { jobId: job.id, status: "running" }, data: { status: "failed", error: reason, finishedAt: new Date() } });
    if (!retry) {
      // pg-boss retries any failure while its limit allows: a permanent one spends the limit first.
      await executor(db).executeSql(
        `UPDATE ${bossSchema()}.job SET retry_limit = retry_count WHERE name = $1 AND id = $2::uuid AND state = 'active' AND retry_count = $3`,
        [QUEUE, job.id, job.attempt - 1],
      );
    }
    await instance.fail(QUEUE, attemptOf(job), { message: reason }, { db: executor(db) });
  });
  if (!retry) return { kind, retryAt: null, message };
  const { rows } = await instance.getDb().executeSql(`SELECT start_after FROM ${bossSchema()}.job WHERE name = $1 AND id = $2::uuid`, [QUEUE, job.id]);
  const at = (rows[0] as { start_after?: Date } | undefined)?.start_after;
  return { kind, retryAt: at ? new Date(at) : new Date(), message };
}

/** Fetches up to `batchSize` due jobs, oldest first, one per key (the queue's policy). */
export async function fetchBossJobs(batchSize: number): Promise<ClaimedJob[]> {
  const jobs = await (await boss()).fetch<BossData>(QUEUE, { batchSize, includeMetadata: true });
  return jobs.map(toClaimed);
}

/** Keeps running jobs' heartbeats going (work() does this itself; a hand-driven fetch does not). */
export async function touchBossJobs(jobs: readonly ClaimedJob[]): Promise<void> {
  if (jobs.length) await (await boss()).touch(QUEUE, jobs.map(attemptOf));
}

export interface BossWorkOptions {
  batchSize: number;
  concurrency: number;
  pollMs: number;
}

/** Runs `run` on every job this process fetches, `concurrency` batches at a time. */
export async function workBossJobs(options: BossWorkOptions, run: (job: ClaimedJob) => Promise<void>): Promise<{ wake(): void; stop(): Promise<void> }> {
  const instance = await boss();
  const heartbeat = heartbeatSeconds();
  const workId = await instance.work<BossData>(
    QUEUE,
    {
      batchSize: options.batchSize, localConcurrency: options.concurrency, includeMetadata: true,
      pollingIntervalSeconds: Math.max(0.5, options.pollMs / 1000),
      // While batches come back full there is more: fetch again at once.
      burstWhenBatchFull: options.batchSize > 1,
      heartbeatRefreshSeconds: Math.max(1, Math.floor(heartbeat / 3)),
    },
    // Each job is settled by `run` as soon as it ends (a long sync does not hold up the webhooks
    // fetched with it); pg-boss's own completion of the batch then finds nothing left to do.
    async (jobs) => {
      await Promise.all((jobs as BossJob[]).map((job) => run(toClaimed(job))));
    },
  );
  const sweep = setInterval(() => void closeOrphanRuns().catch(() => undefined), heartbeat * 1000);
  sweep.unref();
  return {
    wake: () => instance.notifyWorker(workId),
    async stop() {
      clearInterval(sweep);
      await instance.offWork(QUEUE, { id: workId, wait: true });
    },
  };
}

/** Whether a worker holds the job now: active, with a heartbeat within the last heartbeat period. */
export async function bossHoldsLiveLease(jobId: string): Promise<boolean> {
  const rows = await prisma.$queryRaw<{ live: boolean }[]>`SELECT EXISTS (SELECT 1 FROM ${Prisma.raw(bossSchema())}.job WHERE name = ${QUEUE}
    AND id::text = ${jobId} AND state = 'active' AND COALESCE(heartbeat_on, started_on) > now() - make_interval(secs => ${heartbeatSeconds()})) AS live`;
  return rows[0]?.live === true;
}

/**
 * Runs are never "running" without a live lease: a run whose job is no longer active (its
 * worker died and pg-boss took the job back, or gave up on it) is closed as interrupted.
 */
export async function closeOrphanRuns(): Promise<number> {
  // The schema is pg-boss's, named from the app's own database URL (bossSchema), never from a request.
  return prisma.$executeRaw`UPDATE "SyncRun" SET status = 'failed', error = 'Interrupted: its worker stopped.', "finishedAt" = now()
     WHERE status = 'running' AND "jobId" IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM ${Prisma.raw(bossSchema())}.job j WHERE j.name = ${QUEUE} AND j.id::text = "SyncRun"."jobId" AND j.state = 'active')`;
}

interface JobRow {
  id: string;
  kind: string;
  state: string;
  singleton_key: string;
  retry_count: number;
  retry_limit: number;
  max_attempts: number | null;
  output: { message?: string; value?: { message?: string } } | null;
  start_after: Date;
  completed_on: Date | null;
  created_on: Date;
}

const JOB_COLUMNS = `id::text AS id, data->>'kind' AS kind, (data->>'maxAttempts')::int AS max_attempts, state::text AS state, singleton_key, retry_count, retry_limit, output, start_after, completed_on, created_on`;

const STATUS: Record<string, string> = { created: "queued", retry: "queued", active: "running", completed: "succeeded", failed: "failed", cancelled: "failed" };

function toView(row: JobRow): JobView {
  // pg-boss counts retries from the second fetch on: a job fetched k times has retry_count k - 1.
  const attempts = row.state === "created" ? 0 : row.retry_count + 1;
  const error = row.output?.message ?? row.output?.value?.message ?? null;
  return {
    id: row.id, name: row.kind as JobName, status: STATUS[row.state] ?? row.state, attempts, maxAttempts: Math.max(row.retry_limit + 1, row.max_attempts ?? 0),
    error: row.state === "completed" ? null : error, runAt: new Date(row.start_after).toISOString(),
    finishedAt: row.completed_on ? new Date(row.completed_on).toISOString() : null,
  };
}

const rowsOf = async <R>(text: string, values: unknown[]) => (await (await boss()).getDb().executeSql(text, values)).rows as R[];

/** The shop's failed jobs not since superseded by newer work with their key, and ones waiting to retry. */
export async function bossJobsNeedingAttention(shop: string): Promise<JobView[]> {
  const schema = bossSchema();
  const rows = await rowsOf<JobRow>(
    `SELECT ${JOB_COLUMNS} FROM ${schema}.job f
     WHERE f.name = $1 AND f.data->>'shop' = $2
       AND (f.state = 'retry' OR f.state = 'failed' AND NOT EXISTS (
         SELECT 1 FROM ${schema}.job n WHERE n.name = f.name AND n.singleton_key = f.singleton_key AND n.created_on > f.created_on AND n.state <> 'failed'))
     ORDER BY f.created_on DESC LIMIT 50`,
    [QUEUE, shop],
  );
  return rows.map(toView);
}

export async function bossJobView(shop: string, id: string): Promise<JobView | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const rows = await rowsOf<JobRow>(`SELECT ${JOB_COLUMNS} FROM ${bossSchema()}.job WHERE name = $1 AND id = $2::uuid AND data->>'shop' = $3`, [QUEUE, id, shop]);
  return rows[0] ? toView(rows[0]) : null;
}

/** A person's retry of a failed job: it runs again now, with its attempts counted afresh. */
export async function retryBossJob(shop: string, id: string, spec: (name: JobName) => JobSpec): Promise<boolean> {
  const job = await bossJobView(shop, id);
  if (!job || job.status !== "failed" && job.status !== "queued") return false;
  const instance = await boss();
  if (job.status === "failed") {
    try {
      await instance.retry(QUEUE, id);
    } catch (error) {
      // Work with its key is already waiting to retry: that does it.
      if ((error as { code?: string }).code === "23505") return true;
      throw error;
    }
  }
  const { rows } = await instance.getDb().executeSql(`SELECT retry_count FROM ${bossSchema()}.job WHERE name = $1 AND id = $2::uuid`, [QUEUE, id]);
  const retried = (rows[0] as { retry_count: number } | undefined)?.retry_count ?? 0;
  await instance.update(QUEUE, undefined, { id, retryLimit: retried + spec(job.name).maxAttempts, startAfter: new Date() });
  return true;
}

export async function bossHasPendingJob(shop: string, name: JobName): Promise<boolean> {
  const rows = await rowsOf<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${bossSchema()}.job WHERE name = $1 AND data->>'shop' = $2 AND data->>'kind' = $3 AND state IN ('created', 'retry', 'active')`,
    [QUEUE, shop, name],
  );
  return (rows[0]?.n ?? 0) > 0;
}

/** Jobs of every shop still to do or being done (for tests and scripts that wait for quiet). */
export async function bossPendingCount(): Promise<number> {
  const rows = await rowsOf<{ n: number }>(`SELECT count(*)::int AS n FROM ${bossSchema()}.job WHERE name = $1 AND state IN ('created', 'retry', 'active')`, [QUEUE]);
  return rows[0]?.n ?? 0;
}

/** shop/redact: the shop's jobs go too (their payloads are the shop's data), except the ones running. */
export async function forgetBossJobs(shop: string, db: Db): Promise<void> {
  const instance = await boss();
  const { rows } = await executor(db).executeSql(`SELECT id::text AS id FROM ${bossSchema()}.job WHERE name = $1 AND data->>'shop' = $2 AND state <> 'active'`, [QUEUE, shop]);
  const ids = (rows as { id: string }[]).map((r) => r.id);
  if (ids.length) await instance.deleteJob(QUEUE, ids, { db: executor(db) });
}
