// Which language the merchant sees: Shopify passes `locale` when it opens the app; it is
// remembered in a cookie for navigations inside the iframe, then Accept-Language, then en.
import { createCookie } from "@remix-run/node";
import polarisEn from "@shopify/polaris/locales/en.json";
import polarisFr from "@shopify/polaris/locales/fr.json";
import polarisIt from "@shopify/polaris/locales/it.json";
import polarisDe from "@shopify/polaris/locales/de.json";
import polarisEs from "@shopify/polaris/locales/es.json";
import { matchLocale, MESSAGES, type Locale } from "./locales";

const POLARIS: Record<Locale, unknown> = { en: polarisEn, fr: polarisFr, it: polarisIt, de: polarisDe, es: polarisEs };

// SameSite=None: the app lives in Shopify's admin iframe, a third-party context.
export const localeCookie = createCookie("uplift_locale", { path: "/", sameSite: "none", secure: true, httpOnly: true, maxAge: 60 * 60 * 24 * 365 });

export async function resolveLocale(request: Request): Promise<{ locale: Locale; fromUrl: boolean }> {
  const fromUrl = matchLocale(new URL(request.url).searchParams.get("locale"));
  if (fromUrl) return { locale: fromUrl, fromUrl: true };
  const fromCookie = matchLocale(await localeCookie.parse(request.headers.get("Cookie")));
  if (fromCookie) return { locale: fromCookie, fromUrl: false };
  const accepted = (request.headers.get("Accept-Language") ?? "").split(",").map((part) => matchLocale(part.split(";")[0])).find((l) => l);
  return { locale: accepted ?? "en", fromUrl: false };
}

export function translationsFor(locale: Locale) {
  return { messages: MESSAGES[locale], polaris: POLARIS[locale] };
}
