// Wall-clock times in a named time zone (the shop's `ianaTimezone`) <-> UTC instants, through
// Intl only. An offer's schedule is stored as instants; the merchant sets and reads it as the
// shop's clock shows it, whatever zone their own computer is in.

/** A time as a clock in some zone shows it; `month` is 1–12. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const partsFormats = new Map<string, Intl.DateTimeFormat>();
function partsFormat(timeZone: string): Intl.DateTimeFormat {
  let format = partsFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric" });
    partsFormats.set(timeZone, format);
  }
  return format;
}

/** Whether Intl knows the zone (a stored name from another system may not be). */
export function isTimeZone(timeZone: string): boolean {
  try {
    partsFormat(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** What the clock in `timeZone` shows at the instant `ms` (seconds dropped). */
export function wallTimeIn(ms: number, timeZone: string): WallTime {
  const parts = Object.fromEntries(partsFormat(timeZone).formatToParts(ms).map((p) => [p.type, p.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute) };
}

const asUtc = (w: WallTime) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);

/** The zone's offset from UTC at an instant, in ms (+1 h in Paris in winter). */
function offsetAt(ms: number, timeZone: string): number {
  const minute = Math.floor(ms / 60_000) * 60_000;
  return asUtc(wallTimeIn(minute, timeZone)) - minute;
}

/**
 * The instant at which the clock in `timeZone` shows `wall`. Around a DST change this follows
 * Temporal's "compatible" choice, which is also what calendars do: a time the clock repeats
 * (02:30 on the night clocks go back) is its first occurrence; a time the clock skips (02:30 on
 * the night they go forward) is read with the offset before the change, so it lands an hour
 * later on the clock (03:30), never on a different day.
 */
export function instantOf(wall: WallTime, timeZone: string): number {
  const local = asUtc(wall);
  // No zone changes its offset twice within two days, so these are the offsets in play.
  const before = offsetAt(local - 86_400_000, timeZone);
  const after = offsetAt(local + 86_400_000, timeZone);
  const matching = [...new Set([before, after])].map((offset) => local - offset).filter((ms) => asUtc(wallTimeIn(ms, timeZone)) === local);
  return matching.length > 0 ? Math.min(...matching) : local - before;
}

/** "2026-03-29": the date part as a date field shows and accepts it. */
export function dateText(w: Pick<WallTime, "year" | "month" | "day">): string {
  return `${String(w.year).padStart(4, "0")}-${String(w.month).padStart(2, "0")}-${String(w.day).padStart(2, "0")}`;
}

/** The date a merchant typed, if it is a real one ("2026-02-30" is not). */
export function parseDateText(text: string): Pick<WallTime, "year" | "month" | "day"> | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const check = new Date(Date.UTC(year, month - 1, day));
  return check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day ? { year, month, day } : null;
}
