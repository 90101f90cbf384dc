import { describe, expect, it } from "vitest";
import { dateText, instantOf, parseDateText, wallTimeIn, type WallTime } from "~/i18n/zoned-time";

const wall = (text: string): WallTime => {
  const [date, time] = text.split(" ") as [string, string];
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const [hour, minute] = time.split(":").map(Number) as [number, number];
  return { year, month, day, hour, minute };
};
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16);

describe("wall times in the shop's zone", () => {
  it("reads and sets a time in Paris in winter and summer", () => {
    expect(iso(instantOf(wall("2026-01-15 09:00"), "Europe/Paris"))).toBe("2026-01-15T08:00");
    expect(iso(instantOf(wall("2026-07-15 09:00"), "Europe/Paris"))).toBe("2026-07-15T07:00");
    expect(wallTimeIn(Date.parse("2026-07-15T07:00Z"), "Europe/Paris")).toEqual(wall("2026-07-15 09:00"));
  });

  it("does not depend on the computer's own zone: the same wall time is another instant in New York", () => {
    expect(instantOf(wall("2026-07-15 09:00"), "America/New_York") - instantOf(wall("2026-07-15 09:00"), "Europe/Paris")).toBe(6 * 3_600_000);
  });

  it("spans a spring-forward change: midnight to midnight is 23 hours", () => {
    const from = instantOf(wall("2026-03-29 00:00"), "Europe/Paris");
    const to = instantOf(wall("2026-03-30 00:00"), "Europe/Paris");
    expect(to - from).toBe(23 * 3_600_000);
  });

  it("spans a fall-back change: midnight to midnight is 25 hours", () => {
    const from = instantOf(wall("2026-10-25 00:00"), "Europe/Paris");
    const to = instantOf(wall("2026-10-26 00:00"), "Europe/Paris");
    expect(to - from).toBe(25 * 3_600_000);
    expect(instantOf(wall("2026-11-02 00:00"), "America/New_York") - instantOf(wall("2026-11-01 00:00"), "America/New_York")).toBe(25 * 3_600_000);
  });

  it("reads a skipped time (02:30 when clocks go forward) as 03:30 the same day", () => {
    const ms = instantOf(wall("2026-03-29 02:30"), "Europe/Paris");
    expect(iso(ms)).toBe("2026-03-29T01:30");
    expect(wallTimeIn(ms, "Europe/Paris")).toEqual(wall("2026-03-29 03:30"));
  });

  it("reads a repeated time (02:30 when clocks go back) as its first occurrence", () => {
    expect(iso(instantOf(wall("2026-10-25 02:30"), "Europe/Paris"))).toBe("2026-10-25T00:30");
    expect(iso(instantOf(wall("2026-11-01 01:30"), "America/New_York"))).toBe("2026-11-01T05:30");
  });

  it("round-trips every 90 minutes of a year (on the hour and the half hour) in zones with odd offsets and half-hour DST", () => {
    const wrong: string[] = [];
    for (const zone of ["Europe/Paris", "America/New_York", "Asia/Kathmandu", "Australia/Lord_Howe"]) {
      for (let ms = Date.parse("2026-01-01T00:00Z"); ms < Date.parse("2027-01-01T00:00Z"); ms += 90 * 60_000) {
        const shown = wallTimeIn(ms, zone);
        const back = instantOf(shown, zone);
        // A repeated wall time maps back to its first occurrence (up to an hour earlier).
        const same = back === ms || (back < ms && ms - back <= 3_600_000 && JSON.stringify(wallTimeIn(back, zone)) === JSON.stringify(shown));
        if (!same) wrong.push(`${zone} ${iso(ms)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe("date text", () => {
  it("writes and reads YYYY-MM-DD, refusing dates that do not exist", () => {
    expect(dateText({ year: 2026, month: 3, day: 9 })).toBe("2026-03-09");
    expect(parseDateText(" 2026-03-09 ")).toEqual({ year: 2026, month: 3, day: 9 });
    expect(parseDateText("2026-02-30")).toBeNull();
    expect(parseDateText("03/09/2026")).toBeNull();
  });
});
