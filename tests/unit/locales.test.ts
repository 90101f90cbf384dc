import { describe, expect, it } from "vitest";
import { LOCALES, MESSAGES } from "~/i18n/locales";

const flatten = (value: unknown, prefix = ""): Record<string, unknown> =>
  typeof value === "object" && value !== null
    ? Object.assign({}, ...Object.entries(value).map(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k)))
    : { [prefix]: value };

// i18next picks "key_one", "key_many", "key_other"... by the language's plural rules, so
// languages differ in those suffixes and agree on the key before them.
const PLURAL = /_(zero|one|two|few|many|other)$/;
const base = (key: string) => key.replace(PLURAL, "");
const placeholders = (text: unknown) => [...new Set([...String(text).matchAll(/\{\{\s*(\w+)\s*(?:,[^}]*)?\}\}/g)].map((m) => m[1]))].sort();

describe("admin translations", () => {
  const reference = flatten(MESSAGES.en);
  const referenceBases = new Map(Object.keys(reference).map((key) => [base(key), key]));

  it.each(LOCALES.filter((l) => l !== "en"))("%s has exactly the English keys, none empty, same placeholders", (locale) => {
    const messages = flatten(MESSAGES[locale]);
    expect([...new Set(Object.keys(messages).map(base))].sort()).toEqual([...referenceBases.keys()].sort());
    for (const [key, text] of Object.entries(messages)) {
      expect(typeof text === "string" && text.trim().length > 0, key).toBe(true);
      expect(placeholders(text), key).toEqual(placeholders(reference[referenceBases.get(base(key))!]));
    }
  });

  it.each(LOCALES)("%s has every plural form its language needs, and no other", (locale) => {
    const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories.slice().sort();
    const plurals = new Map<string, string[]>();
    for (const key of Object.keys(flatten(MESSAGES[locale]))) {
      const form = PLURAL.exec(key)?.[1];
      if (form) plurals.set(base(key), [...(plurals.get(base(key)) ?? []), form]);
    }
    expect(plurals.size).toBeGreaterThan(0);
    for (const [key, forms] of plurals) expect(forms.sort(), key).toEqual(categories);
  });
});
