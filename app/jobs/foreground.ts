// Answers come before background work. Shopify wants a webhook's 200 within 5 s and sends
// deliveries in bursts (a sale, a bulk edit), while the jobs those answers queue can wait:
// - during a burst (BURST answers within QUIET_MS), this process's worker starts no job, but
//   one every few seconds so a long burst cannot starve the work;
// - while answers come at an everyday pace, it runs one job at a time;
// - once they have stopped for a moment, it has its full concurrency again.
// On SQLite this matters most: its one connection runs one transaction at a time, and an answer
// waiting behind a job's transaction waits for all of it. A scheduling hint only: nothing is
// lost if the process dies with it.

/** How long after the last answer the worker keeps holding back. */
const QUIET_MS = 250;
/** This many answers within QUIET_MS make a burst (40 a second). */
const BURST = 10;
/** During a burst, a job still starts when none has for this long. */
const MAX_HOLD_MS = 2_000;

/** The times of the last BURST answers, oldest first once full. */
const recentAnswers: number[] = [];
let lastJobStart = Number.NEGATIVE_INFINITY;
const quietListeners = new Set<() => void>();
let quietTimer: NodeJS.Timeout | null = null;

function armQuietTimer(): void {
  if (quietTimer) {
    quietTimer.refresh();
    return;
  }
  quietTimer = setTimeout(() => {
    quietTimer = null;
    quietListeners.forEach((listener) => listener());
  }, QUIET_MS + 1);
  quietTimer.unref();
}

/** Called as a webhook is answered. */
export function noteForegroundWork(now = Date.now()): void {
  recentAnswers.push(now);
  if (recentAnswers.length > BURST) recentAnswers.shift();
  if (quietListeners.size) armQuietTimer();
}

/** Called as a job starts. */
export function noteJobStart(now = Date.now()): void {
  lastJobStart = now;
}

/** Called once answers have stopped for a moment, so a held-back worker starts at once. */
export function onQuiet(listener: () => void): () => void {
  quietListeners.add(listener);
  return () => quietListeners.delete(listener);
}

/** How many jobs may run at once now, of the worker's `concurrency`. */
export function jobSlots(concurrency: number, now = Date.now()): number {
  const last = recentAnswers.at(-1) ?? Number.NEGATIVE_INFINITY;
  if (now - last >= QUIET_MS) return concurrency;
  const burst = recentAnswers.length === BURST && now - recentAnswers[0]! < QUIET_MS;
  if (!burst || now - lastJobStart >= MAX_HOLD_MS) return Math.min(1, concurrency);
  return 0;
}
