import { describe, expect, it } from "vitest";
import { formatter } from "~/i18n/format";

// Intl's separators: U+202F (narrow no-break space) and U+00A0 in French, "." in German.
const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, " ");

describe("admin formatting in the merchant's language", () => {
  it("writes multipliers with the language's decimal separator and one decimal", () => {
    expect(formatter("en").multiplier(7.66)).toBe("7.7×");
    expect(formatter("fr").multiplier(7.66)).toBe("7,7×");
    expect(formatter("de").multiplier(12)).toBe("12,0×");
  });

  it("writes money from integer minor units, every cent kept", () => {
    expect(formatter("en").money(59130, "EUR")).toBe("€591.30");
    expect(plain(formatter("fr").money(123456789, "EUR"))).toBe("1 234 567,89 €");
    expect(plain(formatter("de").money(1200, "JPY"))).toBe("1.200 ¥");
    expect(formatter("en").money(900719925474099, "USD")).toBe("$9,007,199,254,740.99");
  });

  it("writes numbers and dates in the language", () => {
    expect(plain(formatter("fr").number(34377))).toBe("34 377");
    expect(formatter("de").date("2026-03-05T12:00:00Z")).toBe("05.03.2026");
  });
});

describe("time left", () => {
  it("goes by the run's own pace, and says nothing before there is one or after the end", async () => {
    const { remainingMs } = await import("~/catalog/progress");
    expect(remainingMs({ done: 0, total: 100, startedAt: 0 }, 10_000)).toBeNull();
    expect(remainingMs({ done: 5, total: null, startedAt: 0 }, 10_000)).toBeNull();
    expect(remainingMs({ done: 100, total: 100, startedAt: 0 }, 10_000)).toBeNull();
    expect(remainingMs({ done: 25, total: 100, startedAt: 0 }, 10_000)).toBe(30_000);
  });

  it("is written in whole seconds under a minute and whole minutes above, in the language", () => {
    expect(formatter("en").duration(400)).toBe("1 second");
    expect(formatter("en").duration(30_000)).toBe("30 seconds");
    expect(formatter("fr").duration(61_000)).toBe("2 minutes");
    expect(formatter("de").duration(180_000)).toBe("3 Minuten");
  });
});
