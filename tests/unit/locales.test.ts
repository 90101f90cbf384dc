import { describe, expect, it } from "vitest";
import { LOCALES, MESSAGES } from "~/i18n/locales";

const flatten = (value: unknown, prefix = ""): Record<string, unknown> =>
  typeof value === "object" && value !== null
    ? Object.assign({}, ...Object.entries(value).map(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k)))
    : { [prefix]: value };

describe("admin translations", () => {
  const reference = flatten(MESSAGES.en);
  it.each(LOCALES.filter((l) => l !== "en"))("%s has exactly the English keys, none empty, same placeholders", (locale) => {
    const messages = flatten(MESSAGES[locale]);
    expect(Object.keys(messages).sort()).toEqual(Object.keys(reference).sort());
    for (const [key, text] of Object.entries(messages)) {
      expect(typeof text === "string" && text.trim().length > 0, key).toBe(true);
      const placeholders = (s: unknown) => (String(s).match(/\{\{\w+\}\}/g) ?? []).sort();
      expect(placeholders(text), key).toEqual(placeholders(reference[key]));
    }
  });
});
