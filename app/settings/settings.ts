// Shop settings: what the merchant enters, validated once (zod), stored as integers.
import { z } from "zod";
import { LOCALES, type Locale } from "~/i18n/locales";
import { fromMinorUnits, parseMoneyText } from "~/catalog/money";

export interface Settings {
  /** Currency code -> threshold in minor units; a missing currency shows no bar. */
  freeShippingThresholds: Record<string, number>;
  /** 0..5000 basis points (0–50 %). */
  holdoutBasisPoints: number;
  storefrontLocales: Locale[];
  /** Pacing, so shoppers are not pestered: offers shown per page, and per shopper per day. */
  offersPerPage: number;
  offersPerShopperPerDay: number;
}

export const DEFAULT_SETTINGS: Settings = { freeShippingThresholds: {}, holdoutBasisPoints: 500, storefrontLocales: ["en"], offersPerPage: 2, offersPerShopperPerDay: 6 };
/**
 * A whole number as a merchant types it: digits only. Number() (and zod's coerce) would read
 * "1e1" as 10 and "0x10" as 16, so those were saved as 10 % and 16 %.
 */
const whole = (min: number, max: number) => z.string().trim().regex(/^\d{1,6}$/).transform(Number).pipe(z.number().int().min(min).max(max));

/** Field name -> translation key of the error. */
export type FieldErrors = Record<string, string>;

/** Parses the settings form; currencies are the shop's. */
export function parseSettingsForm(form: FormData, currencies: string[]): { ok: true; settings: Settings } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const freeShippingThresholds: Record<string, number> = {};
  for (const currency of currencies) {
    const raw = String(form.get(`threshold_${currency}`) ?? "").trim();
    if (!raw) continue;
    const minor = parseMoneyText(raw, currency);
    if (minor === null) errors[`threshold_${currency}`] = "settings.errors.threshold";
    else freeShippingThresholds[currency] = minor;
  }
  const holdout = whole(0, 50).safeParse(String(form.get("holdout") ?? ""));
  if (!holdout.success) errors.holdout = "settings.errors.holdout";
  const languages = z.array(z.enum(LOCALES)).min(1).safeParse(form.getAll("languages").map(String));
  if (!languages.success) errors.languages = "settings.errors.languages";
  const perPage = whole(1, 5).safeParse(String(form.get("perPage") ?? ""));
  if (!perPage.success) errors.perPage = "settings.errors.perPage";
  const perDay = whole(1, 50).safeParse(String(form.get("perDay") ?? ""));
  if (!perDay.success) errors.perDay = "settings.errors.perDay";
  if (Object.keys(errors).length || !holdout.success || !languages.success || !perPage.success || !perDay.success) return { ok: false, errors };
  return {
    ok: true,
    settings: { freeShippingThresholds, holdoutBasisPoints: holdout.data * 100, storefrontLocales: languages.data, offersPerPage: perPage.data, offersPerShopperPerDay: perDay.data },
  };
}

/** The form's initial values. */
export function settingsFormValues(settings: Settings, currencies: string[]) {
  return {
    thresholds: Object.fromEntries(currencies.map((c) => [c, settings.freeShippingThresholds[c] === undefined ? "" : fromMinorUnits(settings.freeShippingThresholds[c]!, c)])),
    holdout: String(Math.round(settings.holdoutBasisPoints / 100)),
    languages: settings.storefrontLocales,
    perPage: String(settings.offersPerPage),
    perDay: String(settings.offersPerShopperPerDay),
  };
}
