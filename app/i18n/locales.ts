// The admin's languages. Strings live in app/locales/<lang>.json; en is the reference.
import en from "~/locales/en.json";
import fr from "~/locales/fr.json";
import it from "~/locales/it.json";
import de from "~/locales/de.json";
import es from "~/locales/es.json";

export const LOCALES = ["en", "fr", "it", "de", "es"] as const;
export type Locale = (typeof LOCALES)[number];
export type Messages = typeof en;

export const MESSAGES: Record<Locale, Messages> = { en, fr, it, de, es };

export function isLocale(value: string): value is Locale {
  return (LOCALES as readonly string[]).includes(value);
}

/** "fr-CA" -> "fr"; unknown -> null. */
export function matchLocale(value: string | null | undefined): Locale | null {
  const base = value?.trim().toLowerCase().split(/[-_]/)[0] ?? "";
  return isLocale(base) ? base : null;
}
