// react-i18next with the locale's strings handed over by the loader, so the server render
// and the browser use the same resources (no flash of untranslated text).
import { createInstance, type i18n as I18n } from "i18next";
import { I18nextProvider, initReactI18next, useTranslation } from "react-i18next";
import { useMemo, type ReactNode } from "react";
import type { Locale, Messages } from "./locales";
import { formatter, type Formatter } from "./format";

function createI18n(locale: Locale, messages: Messages): I18n {
  const instance = createInstance();
  void instance.use(initReactI18next).init({
    lng: locale,
    fallbackLng: false,
    resources: { [locale]: { translation: messages } },
    interpolation: { escapeValue: false },
    initAsync: false,
    // Otherwise i18next prints an advertisement in every server and browser console.
    showSupportNotice: false,
  });
  return instance;
}

export function TranslationProvider({ locale, messages, children }: { locale: Locale; messages: Messages; children: ReactNode }) {
  const i18n = useMemo(() => createI18n(locale, messages), [locale, messages]);
  return <I18nextProvider i18n={i18n}>{children}</I18nextProvider>;
}

export const useT = () => useTranslation().t;

/** Intl formatting in the merchant's admin language (not the browser's). */
export function useFormat(): Formatter {
  const { i18n } = useTranslation();
  const locale = i18n.language;
  return useMemo(() => formatter(locale), [locale]);
}
