// Runs jobs in this process: claims due jobs (queue.server.ts), keeps their leases alive while
// they run, and records how each attempt ended. Every app instance runs one; jobs are shared
// through the database, so instances can come and go (or be killed) without losing work.
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { claimJob, completeJob, failJob, onEnqueue, purgeFinishedJobs, renewLease, type ClaimedJob, type JobName } from "./queue.server";
import { handlers } from "./handlers.server";

export interface WorkerOptions {
  /** Jobs run at once in this process. */
  concurrency?: number;
  /** How often to look for due jobs when nothing wakes the worker. */
  pollMs?: number;
  /** How long a claim lasts without renewal: a dead worker's job is taken up after this. */
  leaseMs?: number;
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
  };
}

export const newWorkerId = () => `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;

/** UPLIFT_JOB_LOG=1 logs every attempt's start and end (failures are always logged). */
const trace = (message: string) => {
  if (process.env.UPLIFT_JOB_LOG) console.info(`uplift: ${new Date().toISOString()} ${message}`);
};

/** The jobs this process is running, which its claims leave alone. */
const runningHere = new Set<string>();

/** Runs one claimed job to its end, renewing its lease meanwhile. Never throws. */
export async function executeJob(job: ClaimedJob, worker: string, leaseMs: number): Promise<void> {
  trace(`job ${job.name} ${job.id} attempt ${job.attempt} started by ${worker}`);
  runningHere.add(job.id);
  const renew = setInterval(() => {
    void renewLease(job, worker, leaseMs).then(
      (held) => held || console.warn(`uplift: job ${job.name} ${job.id} attempt ${job.attempt} lost its lease; another worker took it over`),
      () => undefined,
    );
  }, Math.max(50, Math.floor(leaseMs / 3)));
  renew.unref();
  try {
    const handler = handlers[job.name] as (job: ClaimedJob) => Promise<void>;
    if (!handler) throw new Error(`No handler for job ${job.name}`);
    await handler(job);
    await completeJob(job);
    trace(`job ${job.name} ${job.id} attempt ${job.attempt} done`);
  } catch (error) {
    try {
      const outcome = await failJob(job, error);
      const next = outcome.retryAt ? `retrying at ${outcome.retryAt.toISOString()}` : "not retried";
      console.error(`uplift: job ${job.name} ${job.id} for ${job.shop} failed (attempt ${job.attempt}/${job.maxAttempts}, ${outcome.kind}, ${next}): ${outcome.message}`);
    } catch (recordError) {
      // The database itself is gone: the lease runs out and the job is claimed again.
      console.error(`uplift: job ${job.id} failed and could not be recorded`, recordError);
    }
  } finally {
    clearInterval(renew);
    runningHere.delete(job.id);
  }
}

export function startWorker(options: WorkerOptions = {}): Worker {
  const { concurrency, pollMs, leaseMs } = { ...workerDefaults(), ...options };
  const id = newWorkerId();
  let running = 0;
  let stopped = false;
  let looking: Promise<void> | null = null;
  const inFlight = new Set<Promise<void>>();

  const look = () => {
    if (stopped || looking) return;
    looking = (async () => {
      try {
        while (!stopped && running < concurrency) {
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
      } catch (error) {
        console.error("uplift: the job worker could not claim work", error);
      } finally {
        looking = null;
      }
    })();
  };

  const timer = setInterval(look, pollMs);
  timer.unref();
  const purge = setInterval(() => void purgeFinishedJobs().catch(() => undefined), 3_600_000);
  purge.unref();
  const unsubscribe = onEnqueue(look);
  setImmediate(look);

  return {
    id,
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearInterval(purge);
      unsubscribe();
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

/**
 * Starts this process's worker once (the server's entry calls it). UPLIFT_JOB_WORKER=off runs
 * an instance that only answers requests, leaving the jobs to the other instances.
 */
export function ensureWorker(): Worker | null {
  if (process.env.UPLIFT_JOB_WORKER === "off") return null;
  globalThis.upliftWorker ??= startWorker();
  return globalThis.upliftWorker;
}
