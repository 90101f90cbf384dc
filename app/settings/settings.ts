// Shop settings: what the merchant enters, validated once (zod), stored as integers.
import { z } from "zod";
import { LOCALES, type Locale } from "~/i18n/locales";
import { currencyDecimals, fromMinorUnits, toMinorUnits } from "~/catalog/money";

export interface Settings {
  /** Currency code -> threshold in minor units; a missing currency shows no bar. */
  freeShippingThresholds: Record<string, number>;
  /** 0..5000 basis points (0–50 %). */
  holdoutBasisPoints: number;
  storefrontLocales: Locale[];
}

export const DEFAULT_SETTINGS: Settings = { freeShippingThresholds: {}, holdoutBasisPoints: 500, storefrontLocales: ["en"] };

/** Field name -> translation key of the error. */
export type FieldErrors = Record<string, string>;

const moneyText = (currency: string) =>
  new RegExp(currencyDecimals(currency) === 0 ? "^\\d{1,9}$" : `^\\d{1,9}([.,]\\d{1,${currencyDecimals(currency)}})?$`);

/** Parses the settings form; currencies are the shop's. */
export function parseSettingsForm(form: FormData, currencies: string[]): { ok: true; settings: Settings } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const freeShippingThresholds: Record<string, number> = {};
  for (const currency of currencies) {
    const raw = String(form.get(`threshold_${currency}`) ?? "").trim();
    if (!raw) continue;
    if (!moneyText(currency).test(raw)) errors[`threshold_${currency}`] = "settings.errors.threshold";
    else freeShippingThresholds[currency] = toMinorUnits(raw.replace(",", "."), currency);
  }
  const holdout = z.coerce.number().int().min(0).max(50).safeParse(String(form.get("holdout") ?? "").trim() || "x");
  if (!holdout.success) errors.holdout = "settings.errors.holdout";
  const languages = z.array(z.enum(LOCALES)).min(1).safeParse(form.getAll("languages").map(String));
  if (!languages.success) errors.languages = "settings.errors.languages";
  if (Object.keys(errors).length || !holdout.success || !languages.success) return { ok: false, errors };
  return { ok: true, settings: { freeShippingThresholds, holdoutBasisPoints: holdout.data * 100, storefrontLocales: languages.data } };
}

/** The form's initial values. */
export function settingsFormValues(settings: Settings, currencies: string[]) {
  return {
    thresholds: Object.fromEntries(currencies.map((c) => [c, settings.freeShippingThresholds[c] === undefined ? "" : fromMinorUnits(settings.freeShippingThresholds[c]!, c)])),
    holdout: String(Math.round(settings.holdoutBasisPoints / 100)),
    languages: settings.storefrontLocales,
  };
}
