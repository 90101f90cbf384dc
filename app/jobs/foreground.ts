// Answers come before background work. Shopify wants a webhook's 200 within 5 s and sends
// deliveries in bursts (a sale, a bulk edit), while the jobs those answers queue can wait a
// moment: while answers are being given, a worker runs one job at a time, and its full
// concurrency again once they have stopped for a moment. A scheduling hint only: nothing is
// lost if the process dies with it.

/** How long after the last answer the worker keeps to one job at a time. */
const QUIET_MS = 250;
let lastAnswer = Number.NEGATIVE_INFINITY;

/** Called as a webhook is answered. */
export function noteForegroundWork(now = Date.now()): void {
  lastAnswer = now;
}

/** How many jobs may run at once now, of the worker's `concurrency`. */
export function jobSlots(concurrency: number, now = Date.now()): number {
  return now - lastAnswer < QUIET_MS ? Math.min(1, concurrency) : concurrency;
}
