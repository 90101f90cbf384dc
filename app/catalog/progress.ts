// How long a sync still needs, from its own pace so far: what the dashboard shows beside the
// progress bar during the first sync.

/** Milliseconds left at the pace so far, or null until there is a pace to go by. */
export function remainingMs(run: { done: number; total: number | null; startedAt: number }, now: number): number | null {
  if (!run.total || run.done <= 0 || run.done >= run.total) return null;
  const elapsed = Math.max(0, now - run.startedAt);
  return Math.round((elapsed / run.done) * (run.total - run.done));
}
