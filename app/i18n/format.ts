// Numbers, money and dates in the merchant's admin language, through Intl only: "7,7×" in
// French, "1.234,50 €" in German. One place, so no page formats by hand (toFixed, "×").
import { fromMinorUnits } from "~/catalog/money";

export interface Formatter {
  number: (n: number) => string;
  /** How many times more often: one decimal, the locale's separator ("4.1×", "4,1×"). */
  multiplier: (x: number) => string;
  /** Integer minor units in their currency ("€29.00", "29,00 €"). */
  money: (minor: number, currency: string) => string;
  date: (d: Date | string | number, timeZone?: string) => string;
  /** With a time zone, as a clock there shows it (an offer's schedule in the shop's zone). */
  dateTime: (d: Date | string | number, timeZone?: string) => string;
  month: (d: Date | string) => string;
  /** A time span in words, rounded up to whole seconds under a minute, whole minutes above. */
  duration: (ms: number) => string;
}

export function formatter(locale: string): Formatter {
  const number = new Intl.NumberFormat(locale);
  const oneDecimal = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const date = new Intl.DateTimeFormat(locale, { dateStyle: "medium" });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
  const month = new Intl.DateTimeFormat(locale, { month: "short", year: "2-digit", timeZone: "UTC" });
  return {
    number: (n) => number.format(n),
    multiplier: (x) => `${oneDecimal.format(x)}×`,
    // The decimal string, not a float, so large amounts keep every cent.
    money: (minor, currency) => new Intl.NumberFormat(locale, { style: "currency", currency }).format(fromMinorUnits(minor, currency) as Intl.StringNumericLiteral),
    date: (d, timeZone) => (timeZone ? new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone }) : date).format(new Date(d)),
    dateTime: (d, timeZone) => (timeZone ? new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone }) : dateTime).format(new Date(d)),
    month: (d) => month.format(new Date(d)),
    duration: (ms) => {
      const seconds = Math.max(1, Math.ceil(ms / 1000));
      const [value, unit] = seconds < 60 ? [seconds, "second"] : [Math.ceil(seconds / 60), "minute"];
      return new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay: "long" }).format(value);
    },
  };
}
