// react-i18next with the locale's strings handed over by the loader, so the server render
// and the browser use the same resources (no flash of untranslated text).
import { createInstance, type i18n as I18n } from "i18next";
import { I18nextProvider, initReactI18next, useTranslation } from "react-i18next";
import { useMemo, type ReactNode } from "react";
import type { Locale, Messages } from "./locales";

function createI18n(locale: Locale, messages: Messages): I18n {
  const instance = createInstance();
  void instance.use(initReactI18next).init({
    lng: locale,
    fallbackLng: false,
    resources: { [locale]: { translation: messages } },
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  return instance;
}

export function TranslationProvider({ locale, messages, children }: { locale: Locale; messages: Messages; children: ReactNode }) {
  const i18n = useMemo(() => createI18n(locale, messages), [locale, messages]);
  return <I18nextProvider i18n={i18n}>{children}</I18nextProvider>;
}

export const useT = () => useTranslation().t;

/** Intl formatting in the merchant's language. */
export function useFormat() {
  const { i18n } = useTranslation();
  const locale = i18n.language;
  return useMemo(() => ({
    number: (n: number) => new Intl.NumberFormat(locale).format(n),
    date: (d: Date | string) => new Intl.DateTimeFormat(locale, { dateStyle: "medium" }).format(new Date(d)),
    dateTime: (d: Date | string) => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(new Date(d)),
    month: (d: Date | string) => new Intl.DateTimeFormat(locale, { month: "short", year: "2-digit", timeZone: "UTC" }).format(new Date(d)),
  }), [locale]);
}
