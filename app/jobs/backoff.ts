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
