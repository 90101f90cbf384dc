import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { backoffPolicyFromEnv, DEFAULT_BACKOFF, pgBossRetryOptions, retryDelayMs } from "~/jobs/backoff";
import { classifyFailure, failureMessage, httpStatusOf } from "~/jobs/failures";

describe("retry backoff", () => {
  it("doubles from the base and stops at the cap", () => {
    const policy = { baseMs: 1000, maxMs: 10_000 };
    expect([1, 2, 3, 4, 5, 6].map((attempt) => retryDelayMs(attempt, policy))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it("never waits less than the base nor more than the cap plus its jitter", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 10_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (attempt, jitter) => {
      const delay = retryDelayMs(attempt, { baseMs: 2000, maxMs: 300_000 }, jitter);
      return delay >= 2000 && delay <= 300_000 * 1.2 && Number.isFinite(delay);
    }));
  });
});

describe("the same schedule on pg-boss", () => {
  it("gives pg-boss the attempts, the base and the cap in its whole seconds, with its exponential backoff", () => {
    expect(pgBossRetryOptions(8)).toEqual({ retryLimit: 7, retryDelay: 2, retryBackoff: true, retryDelayMax: 300 });
    expect(pgBossRetryOptions(1)).toEqual({ retryLimit: 0, retryDelay: 2, retryBackoff: true, retryDelayMax: 300 });
  });

  it("retries at once when the policy is under a second (tests), which whole seconds cannot say", () => {
    expect(pgBossRetryOptions(10, { baseMs: 5, maxMs: 20 })).toEqual({ retryLimit: 9, retryDelay: 0, retryBackoff: false });
  });

  it("reads a shortened policy from the environment, and falls back to the default on nonsense", () => {
    expect(backoffPolicyFromEnv("5,20")).toEqual({ baseMs: 5, maxMs: 20 });
    expect(backoffPolicyFromEnv(undefined)).toEqual(DEFAULT_BACKOFF);
    expect(backoffPolicyFromEnv("soon")).toEqual(DEFAULT_BACKOFF);
  });
});

describe("what a failure means", () => {
  const withCode = (code: string) => Object.assign(new Error("boom"), { code });

  it("retries Shopify's 5xx, 429 and throttling, network errors and a busy database", () => {
    expect(classifyFailure(new Response("", { status: 503 }))).toBe("transient");
    expect(classifyFailure(new Response("", { status: 429 }))).toBe("transient");
    expect(classifyFailure({ response: { code: 502 } })).toBe("transient");
    expect(classifyFailure(new Error("fetch failed", { cause: withCode("ECONNRESET") }))).toBe("transient");
    expect(classifyFailure(new Error("Admin API returned errors: THROTTLED"))).toBe("transient");
    // GraphQL's throttling comes with HTTP 200 (seen: a burst of product webhooks failed for good on it).
    expect(classifyFailure(Object.assign(new Error("Throttled"), { response: { status: 200 } }))).toBe("transient");
    expect(classifyFailure(Object.assign(new Error("Field 'x' doesn't exist"), { response: { status: 200 } }))).toBe("permanent");
    expect(classifyFailure(withCode("P1008"))).toBe("transient");
    // Prisma found no connection free to start a transaction in time (seen with three instances under a burst).
    expect(classifyFailure(withCode("P2028"))).toBe("transient");
    expect(classifyFailure(new Error("Transaction API error: Unable to start a transaction in the given time."))).toBe("transient");
  });

  it("looks inside the Admin client's wrapper for the library's response", () => {
    const wrapped = Object.assign(new Error("Admin API request failed"), { details: new Response("", { status: 504 }) });
    expect(httpStatusOf(wrapped)).toBe(504);
    expect(classifyFailure(wrapped)).toBe("transient");
  });

  it("gives up on an uninstalled shop and does not retry a bug on its own", () => {
    expect(classifyFailure(new Response("", { status: 401 }))).toBe("gone");
    expect(classifyFailure(Object.assign(new Error("no session"), { name: "SessionNotFoundError" }))).toBe("gone");
    expect(classifyFailure(new Response("", { status: 400 }))).toBe("permanent");
    expect(classifyFailure(new TypeError("Cannot read properties of undefined"))).toBe("permanent");
  });

  it("says what happened in words, never [object Response]", () => {
    expect(failureMessage(new Response("", { status: 503, statusText: "Service Unavailable" }))).toBe("HTTP 503 Service Unavailable");
    expect(failureMessage(new Error("fetch failed", { cause: new Error("connect ECONNREFUSED") }))).toBe("fetch failed: connect ECONNREFUSED");
  });
});

describe("answers before background work", () => {
  it("runs one job at a time while webhooks come at an everyday pace, none in a burst but one every 2 s, and all slots once they stop", async () => {
    const { jobSlots, noteForegroundWork, noteJobStart } = await import("~/jobs/foreground");
    expect(jobSlots(4, 0)).toBe(4);
    noteJobStart(0);
    // A webhook now and then: one job at a time while it is answered.
    noteForegroundWork(1_000);
    expect(jobSlots(4, 1_100)).toBe(1);
    expect(jobSlots(4, 1_249)).toBe(1);
    expect(jobSlots(4, 1_250)).toBe(4);
    // Ten within 250 ms make a burst: no job starts…
    for (let t = 3_000; t < 3_100; t += 10) noteForegroundWork(t);
    expect(jobSlots(4, 3_100)).toBe(1);
    noteJobStart(3_100);
    expect(jobSlots(4, 3_150)).toBe(0);
    // …but one when none has for 2 s, even if the burst goes on.
    for (let t = 3_100; t <= 5_100; t += 10) noteForegroundWork(t);
    expect(jobSlots(4, 5_100)).toBe(1);
    noteJobStart(5_100);
    expect(jobSlots(4, 5_110)).toBe(0);
    expect(jobSlots(0, 5_110)).toBe(0);
    expect(jobSlots(4, 5_400)).toBe(4);
  });

  it("tells a held-back worker when answers have stopped", async () => {
    const { noteForegroundWork, onQuiet } = await import("~/jobs/foreground");
    let woken = 0;
    const stop = onQuiet(() => woken++);
    noteForegroundWork();
    noteForegroundWork();
    await new Promise((resolve) => setTimeout(resolve, 400));
    stop();
    expect(woken).toBe(1);
  });
});
