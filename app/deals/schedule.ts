// The deal of the day: a merchant's schedule of one product at a price per day of the shop's
// calendar, from midnight to midnight in the shop's time zone. Pure: the days' bounds, the
// form's checks and what the storefront block reads (the `app.metafields.uplift.deals`
// value), with what the checkout's discount Function will need to honour the price.

/** One scheduled day. Prices in the shop's currency, minor units. */
export interface Deal {
  /** YYYY-MM-DD in the shop's time zone. */
  day: string;
  productId: string;
  variantId: string;
  price: number;
}

/** What the storefront knows of the deal's variant, from the synced catalog. */
export interface DealVariant {
  productId: string;
  handle: string;
  /** Regular price, shop currency, minor units. */
  price: number;
  available: boolean;
}

/** Days written ahead of today, so a page rendered just before midnight still finds tomorrow's. */
export const DAYS_AHEAD = 7;
/** How far ahead a merchant can schedule. */
const MAX_DAYS_AHEAD = 366;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The calendar day it is at `at` (ms) in `timeZone`: "2026-12-02". */
export function dayIn(timeZone: string, at: number): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

/** How far `timeZone`'s wall clock is ahead of UTC at `at`, in ms. */
function offsetAt(timeZone: string, at: number): number {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" })
    .formatToParts(at).map((p) => [p.type, Number(p.value)]));
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall - Math.floor(at / 1000) * 1000;
}

/** The instant (ms) a day's midnight begins in `timeZone`: two passes settle a DST change. */
function midnight(day: string, timeZone: string): number {
  const [, y, m, d] = DAY.exec(day)!.map(Number) as [number, number, number, number];
  const wall = Date.UTC(y, m - 1, d);
  const first = wall - offsetAt(timeZone, wall);
  return wall - offsetAt(timeZone, first);
}

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** When the day's deal starts and ends (Unix seconds): 23 or 25 hours on a DST change. */
export function dayBounds(day: string, timeZone: string): { startsAt: number; endsAt: number } {
  return { startsAt: midnight(day, timeZone) / 1000, endsAt: midnight(nextDay(day), timeZone) / 1000 };
}

export function isDay(text: string): boolean {
  const m = DAY.exec(text);
  return !!m && new Date(`${text}T00:00:00Z`).toISOString().slice(0, 10) === text;
}

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export type DealErrors = Partial<Record<"day" | "product" | "price", string>>;

/**
 * A merchant's new deal, checked: a real day from today (in the shop's time zone) to a year
 * ahead, a variant of the synced catalog, a price above zero and below its regular price.
 * Errors are translation keys.
 */
export function checkDeal(input: { day: string; variantId: string; price: number | null }, variant: DealVariant | undefined, today: string): { ok: true; deal: Deal } | { ok: false; errors: DealErrors } {
  const errors: DealErrors = {};
  if (!isDay(input.day)) errors.day = "deals.errors.day";
  else if (input.day < today) errors.day = "deals.errors.past";
  else if (Date.parse(input.day) - Date.parse(today) > MAX_DAYS_AHEAD * 86_400_000) errors.day = "deals.errors.tooFar";
  if (!variant) errors.product = "deals.errors.product";
  if (input.price === null || !Number.isInteger(input.price) || input.price <= 0) errors.price = "deals.errors.price";
  else if (variant && input.price >= variant.price) errors.price = "deals.errors.notLower";
  if (Object.keys(errors).length || !variant || input.price === null) return { ok: false, errors };
  return { ok: true, deal: { day: input.day, productId: variant.productId, variantId: input.variantId, price: input.price } };
}

/** One day as the storefront block and (later) the discount Function read it. */
export interface StorefrontDeal {
  day: string;
  /** Unix seconds: the block shows the deal while starts_at <= now < ends_at. */
  starts_at: number;
  ends_at: number;
  handle: string;
  product_id: string;
  variant_id: string;
  /** Numeric variant id, as Liquid's `variant.id` and the cart's lines carry it. */
  variant: number;
  currency: string;
  price: number;
  regular: number;
  /**
   * Off the regular price in basis points, rounded down (never more off than the merchant
   * set): other currencies take the same share off their presentment price.
   */
  discount_bp: number;
}

export interface StorefrontDeals {
  v: 1;
  time_zone: string;
  deals: StorefrontDeal[];
}

/**
 * Today's deal and the next DAYS_AHEAD days' (the storefront picks by the clock, so a cached
 * page or a late sync never shows yesterday's); days whose variant is gone, sold out or no
 * longer dearer than the deal are left out.
 */
export function storefrontDeals(deals: readonly Deal[], variants: ReadonlyMap<string, DealVariant>, timeZone: string, currency: string, now: number): StorefrontDeals {
  const today = dayIn(timeZone, now);
  let last = today;
  for (let i = 0; i < DAYS_AHEAD; i++) last = nextDay(last);
  const shown = deals
    .filter((d) => d.day >= today && d.day <= last)
    .sort((a, b) => a.day.localeCompare(b.day))
    .flatMap((d): StorefrontDeal[] => {
      const variant = variants.get(d.variantId);
      if (!variant || !variant.available || variant.price <= d.price) return [];
      const { startsAt, endsAt } = dayBounds(d.day, timeZone);
      return [{
        day: d.day, starts_at: startsAt, ends_at: endsAt, handle: variant.handle, product_id: d.productId, variant_id: d.variantId,
        variant: Number(d.variantId.split("/").pop()), currency, price: d.price, regular: variant.price,
        discount_bp: Math.floor(((variant.price - d.price) * 10_000) / variant.price),
      }];
    });
  return { v: 1, time_zone: timeZone, deals: shown };
}
