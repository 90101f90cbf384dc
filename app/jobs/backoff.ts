// When a failed job runs again: capped exponential backoff. Pure, so the schedule is tested
// as numbers; a little jitter keeps jobs that failed together (an outage) from retrying in
// one burst.

export interface BackoffPolicy {
  /** The first retry's delay. */
  baseMs: number;
  /** No retry waits longer than this. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 2_000, maxMs: 5 * 60_000 };

/**
 * The delay before attempt `attempt + 1`, after `attempt` (1-based) failed: base, 2×base,
 * 4×base … capped at maxMs, each stretched by up to `jitter` (0..1) of itself.
 */
export function retryDelayMs(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, jitter = 0): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const delay = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  return Math.round(delay * (1 + Math.min(Math.max(jitter, 0), 1) * 0.2));
}

/** Tests and the demo may shorten the backoff (UPLIFT_JOB_BACKOFF_MS="base,max"). */
export function backoffPolicyFromEnv(value = process.env.UPLIFT_JOB_BACKOFF_MS): BackoffPolicy {
  const [base, max] = (value ?? "").split(",").map(Number);
  return base && max ? { baseMs: base, maxMs: max } : DEFAULT_BACKOFF;
}

/** pg-boss's retry options for a job with `maxAttempts` attempts under `policy`. */
export interface PgBossRetryOptions {
  retryLimit: number;
  retryDelay: number;
  retryBackoff: boolean;
  retryDelayMax?: number;
}

/**
 * The same schedule in pg-boss's terms: its backoff waits between retryDelay × 2^(n-1) and twice
 * that before retry n, capped at retryDelayMax, in whole seconds. A policy under a second (tests)
 * cannot be said in whole seconds: those retries come at once.
 */
export function pgBossRetryOptions(maxAttempts: number, policy: BackoffPolicy = DEFAULT_BACKOFF): PgBossRetryOptions {
  const retryLimit = Math.max(0, maxAttempts - 1);
  if (policy.baseMs < 1_000) return { retryLimit, retryDelay: 0, retryBackoff: false };
  return { retryLimit, retryDelay: Math.round(policy.baseMs / 1000), retryBackoff: true, retryDelayMax: Math.max(1, Math.round(policy.maxMs / 1000)) };
}
