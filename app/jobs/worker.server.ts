// Runs jobs in this process: claims due jobs (queue.server.ts), keeps their leases alive while
// they run, and records how each attempt ended. Every app instance runs one; jobs are shared
// through the database, so instances can come and go (or be killed) without losing work.
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { claimJob, completeJob, failJob, jobBackend, onEnqueue, purgeFinishedJobs, renewLease, type ClaimedJob, type FailureOutcome, type JobName } from "./queue.server";
import prisma from "~/db.server";
import { completeBossJob, failBossJob, fetchBossJobs, stopBoss, touchBossJobs, workBossJobs } from "./pgboss.server";
import { handlers } from "./handlers.server";
import { jobSlots, noteJobStart, onQuiet } from "./foreground";

export interface WorkerOptions {
  /** Jobs run at once in this process. */
  concurrency?: number;
  /** How often to look for due jobs when nothing wakes the worker. */
  pollMs?: number;
  /** How long a claim lasts without renewal: a dead worker's job is taken up after this. */
  leaseMs?: number;
  /** Jobs fetched at once (pg-boss): a burst of webhooks is claimed in a few statements. */
  batchSize?: number;
  /** Job names this worker runs (the jobs table only); all when absent. */
  names?: readonly JobName[];
}

export interface Worker {
  readonly id: string;
  stop(): Promise<void>;
}

const envNumber = (name: string, fallback: number) => Number(process.env[name]) || fallback;

export function workerDefaults() {
  return {
    concurrency: envNumber("UPLIFT_JOB_CONCURRENCY", 4),
    pollMs: envNumber("UPLIFT_JOB_POLL_MS", 1_000),
    leaseMs: envNumber("UPLIFT_JOB_LEASE_MS", 30_000),
    batchSize: envNumber("UPLIFT_JOB_BATCH", 8),
  };
}

export const newWorkerId = () => `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;

/** UPLIFT_JOB_LOG=1 logs every attempt's start and end (failures are always logged). */
const trace = (message: string) => {
  if (process.env.UPLIFT_JOB_LOG) console.info(`uplift: ${new Date().toISOString()} ${message}`);
};

/** The jobs this process is running, which its claims leave alone. */
const runningHere = new Set<string>();

/** How a backend keeps a running job's claim and records its end. */
interface Settlement {
  /** Called every lease/3 while the job runs; pg-boss's own worker keeps heartbeats itself. */
  renew?: () => Promise<void>;
  complete: () => Promise<void>;
  fail: (error: unknown) => Promise<FailureOutcome>;
}

const tableSettlement = (job: ClaimedJob, worker: string, leaseMs: number): Settlement => ({
  renew: () => renewLease(job, worker, leaseMs).then((held) => {
    if (!held) console.warn(`uplift: job ${job.name} ${job.id} attempt ${job.attempt} lost its lease; another worker took it over`);
  }),
  complete: () => completeJob(job),
  fail: (error) => failJob(job, error),
});

const bossSettlement = (job: ClaimedJob, heartbeats: boolean): Settlement => ({
  ...(heartbeats ? { renew: () => touchBossJobs([job]) } : {}),
  complete: () => completeBossJob(job),
  fail: (error) => failBossJob(job, error),
});

/** Runs one claimed job (of the jobs table) to its end, renewing its lease meanwhile. Never throws. */
export function executeJob(job: ClaimedJob, worker: string, leaseMs: number): Promise<void> {
  return execute(job, worker, leaseMs, tableSettlement(job, worker, leaseMs));
}

async function execute(job: ClaimedJob, worker: string, leaseMs: number, settle: Settlement): Promise<void> {
  noteJobStart();
  trace(`job ${job.name} ${job.id} attempt ${job.attempt} started by ${worker}`);
  runningHere.add(job.id);
  const renew = settle.renew && setInterval(() => void settle.renew!().catch(() => undefined), Math.max(50, Math.floor(leaseMs / 3)));
  renew?.unref();
  try {
    const handler = handlers[job.name] as (job: ClaimedJob) => Promise<void>;
    if (!handler) throw new Error(`No handler for job ${job.name}`);
    await handler(job);
    await settle.complete();
    trace(`job ${job.name} ${job.id} attempt ${job.attempt} done`);
  } catch (error) {
    try {
      const outcome = await settle.fail(error);
      const next = outcome.retryAt ? `retrying at ${outcome.retryAt.toISOString()}` : "not retried";
      console.error(`uplift: job ${job.name} ${job.id} for ${job.shop} failed (attempt ${job.attempt}/${job.maxAttempts}, ${outcome.kind}, ${next}): ${outcome.message}`);
    } catch (recordError) {
      // The database itself is gone: the lease runs out and the job is claimed again.
      console.error(`uplift: job ${job.id} failed and could not be recorded`, recordError);
    }
  } finally {
    if (renew) clearInterval(renew);
    runningHere.delete(job.id);
  }
}

export function startWorker(options: WorkerOptions = {}): Worker {
  return jobBackend() === "pg-boss" ? startBossWorker(options) : startTableWorker(options);
}

/**
 * On pg-boss: its worker fetches batches of due jobs (SKIP LOCKED, so instances never wait on
 * each other's claims) and keeps their heartbeats; each job is settled as soon as it ends.
 */
function startBossWorker(options: WorkerOptions): Worker {
  const { concurrency, pollMs, leaseMs, batchSize } = { ...workerDefaults(), ...options };
  const id = newWorkerId();
  // Two fetchers keep batches coming; at most `concurrency` jobs run at once, so a batch never
  // asks Prisma's pool for more transactions than it can start in time.
  const slot = limiter(() => jobSlots(concurrency));
  const working = workBossJobs({ batchSize, concurrency: 2, pollMs }, (job) => slot(() => execute(job, id, leaseMs, bossSettlement(job, false))));
  working.catch((error) => console.error("uplift: the job worker could not start", error));
  // A job enqueued here is fetched at once rather than at the next poll, unless answers hold
  // the worker back (it fetches when they stop).
  const wake = () => void working.then(({ wake }) => wake(), () => undefined);
  const unsubscribe = [onQuiet(() => {
    slot.admit();
    wake();
  }), onEnqueue(() => {
    if (jobSlots(concurrency) > 0) wake();
  })];
  return {
    id,
    async stop() {
      unsubscribe.forEach((stop) => stop());
      await (await working.catch(() => null))?.stop();
    },
  };
}

interface Limiter {
  <T>(work: () => Promise<T>): Promise<T>;
  /** Starts whoever is waiting while there are slots (call it when `limit()` may have grown). */
  admit(): void;
}

/** Runs the functions it is given at most `limit()` at a time, in the order given. */
function limiter(limit: () => number): Limiter {
  let running = 0;
  const waiting: (() => void)[] = [];
  // Starts whoever is next in line while there are slots (more of them once answers stop).
  const admit = () => {
    while (waiting.length && running < limit()) {
      running++;
      waiting.shift()!();
    }
  };
  const run = async <T>(work: () => Promise<T>): Promise<T> => {
    await new Promise<void>((resolve) => {
      waiting.push(resolve);
      admit();
    });
    try {
      return await work();
    } finally {
      running--;
      admit();
    }
  };
  return Object.assign(run, { admit });
}

function startTableWorker(options: WorkerOptions): Worker {
  const { concurrency, pollMs, leaseMs } = { ...workerDefaults(), ...options };
  const id = newWorkerId();
  let running = 0;
  let stopped = false;
  let looking: Promise<void> | null = null;
  const inFlight = new Set<Promise<void>>();

  const look = () => {
    if (stopped || looking || running >= jobSlots(concurrency)) return;
    // Reset by `finally` on the promise, which runs after this assignment even when the loop
    // finds nothing to do at once (an async body that never awaits settles synchronously).
    looking = (async () => {
      while (!stopped && running < jobSlots(concurrency)) {
        const job = await claimJob({ worker: id, leaseMs, names: options.names, exclude: runningHere });
        if (!job) break;
        running++;
        const run = executeJob(job, id, leaseMs).finally(() => {
          running--;
          inFlight.delete(run);
          setImmediate(look);
        });
        inFlight.add(run);
      }
    })()
      .catch((error) => console.error("uplift: the job worker could not claim work", error))
      .finally(() => {
        looking = null;
      });
  };

  const timer = setInterval(look, pollMs);
  timer.unref();
  const purge = setInterval(() => void purgeFinishedJobs().catch(() => undefined), 3_600_000);
  purge.unref();
  const unsubscribe = [onEnqueue(look), onQuiet(look)];
  setImmediate(look);

  return {
    id,
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearInterval(purge);
      unsubscribe.forEach((stop) => stop());
      await looking;
      await Promise.all([...inFlight]);
    },
  };
}

/**
 * Runs every due job in this process until none is left (jobs a job enqueues included), for
 * tests and scripts that need the work done before they look. Jobs waiting for a later retry
 * are left waiting.
 */
export async function runDueJobs(options: { names?: readonly JobName[]; leaseMs?: number; limit?: number } = {}): Promise<number> {
  const worker = newWorkerId();
  const leaseMs = options.leaseMs ?? workerDefaults().leaseMs;
  let ran = 0;
  if (jobBackend() === "pg-boss") {
    // One at a time, oldest first, as the table's claims go.
    for (let [job] = await fetchBossJobs(1); job; [job] = await fetchBossJobs(1)) {
      await execute(job, worker, leaseMs, bossSettlement(job, true));
      if (++ran >= (options.limit ?? 10_000)) break;
    }
    return ran;
  }
  const claim = () => claimJob({ worker, leaseMs, names: options.names, exclude: runningHere });
  for (let job = await claim(); job; job = await claim()) {
    await executeJob(job, worker, leaseMs);
    if (++ran >= (options.limit ?? 10_000)) break;
  }
  return ran;
}

declare global {
  // One worker per process, kept across Vite's hot reloads in development.
  var upliftWorker: Worker | undefined;
}

/** How long a stopping process waits for its running jobs before it leaves them to their leases. */
const STOP_GRACE_MS = 8_000;

/**
 * On SIGTERM or SIGINT (a deploy, a scale-down, Ctrl-C): no new job starts, running ones get a
 * few seconds to finish, then the queue and the database connections close so the process can
 * exit (the server closes itself). A job still running then is cut off and taken up again by
 * another worker when its lease ends, as after a crash; a process that still does not exit is
 * ended, as a platform would end it.
 */
function stopOnSignals(worker: Worker): void {
  const stop = () => {
    const forced = setTimeout(() => process.exit(0), STOP_GRACE_MS + 4_000);
    forced.unref();
    void (async () => {
      await Promise.race([worker.stop(), new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref())]);
      await stopBoss();
      await prisma.$disconnect();
    })().catch((error) => console.error("uplift: stopping the job worker", error));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

/**
 * Starts this process's worker once (the server's entry calls it). UPLIFT_JOB_WORKER=off runs
 * an instance that only answers requests, leaving the jobs to the other instances.
 */
export function ensureWorker(): Worker | null {
  if (process.env.UPLIFT_JOB_WORKER === "off") return null;
  if (!globalThis.upliftWorker) {
    globalThis.upliftWorker = startWorker();
    stopOnSignals(globalThis.upliftWorker);
  }
  return globalThis.upliftWorker;
}
