// Money is integers: Shopify's decimal strings become minor units without passing
// through floating point. The number of decimals depends on the currency (ISO 4217).

const ZERO_DECIMAL = new Set(["BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"]);
const THREE_DECIMAL = new Set(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]);

export function currencyDecimals(currency: string): number {
  const code = currency.toUpperCase();
  if (ZERO_DECIMAL.has(code)) return 0;
  if (THREE_DECIMAL.has(code)) return 3;
  return 2;
}

/** "19.99" EUR -> 1999. Extra precision is rounded half away from zero, once, here. */
export function toMinorUnits(amount: string, currency: string): number {
  const match = /^(-?)(\d+)(?:\.(\d*))?$/.exec(amount.trim());
  if (!match) throw new Error(`Not a money amount: "${amount}"`);
  const [, sign, whole, fraction = ""] = match;
  const decimals = currencyDecimals(currency);
  const kept = fraction.padEnd(decimals, "0").slice(0, decimals);
  const roundUp = (fraction[decimals] ?? "0") >= "5";
  const minor = Number(whole) * 10 ** decimals + Number(kept || "0") + (roundUp ? 1 : 0);
  return sign === "-" ? -minor : minor;
}

/** 1999 EUR -> "19.99": for forms and Shopify's inputs. */
export function fromMinorUnits(minor: number, currency: string): string {
  if (!Number.isInteger(minor)) throw new Error(`Minor units must be an integer, got ${minor}`);
  const decimals = currencyDecimals(currency);
  const sign = minor < 0 ? "-" : "";
  const digits = String(Math.abs(minor)).padStart(decimals + 1, "0");
  return decimals === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

/**
 * What a merchant types in a money field ("49.90", "49,9", "5000" for JPY) in minor units,
 * or null when it is not such an amount: digits, then at most the currency's decimals.
 */
export function parseMoneyText(text: string, currency: string): number | null {
  const decimals = currencyDecimals(currency);
  const pattern = decimals === 0 ? /^\d{1,9}$/ : new RegExp(`^\\d{1,9}([.,]\\d{1,${decimals}})?$`);
  const trimmed = text.trim();
  return pattern.test(trimmed) ? toMinorUnits(trimmed.replace(",", "."), currency) : null;
}
