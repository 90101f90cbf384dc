import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, parseSettingsForm, settingsFormValues } from "~/settings/settings";

const form = (entries: [string, string][]) => {
  const data = new FormData();
  for (const [key, value] of entries) data.append(key, value);
  return data;
};

describe("settings form", () => {
  it("parses thresholds per currency into minor units, holdout into basis points", () => {
    const result = parseSettingsForm(form([["threshold_EUR", "49.90"], ["threshold_JPY", "5000"], ["threshold_USD", ""], ["holdout", "10"], ["languages", "en"], ["languages", "fr"], ["perPage", "3"], ["perDay", "8"]]), ["EUR", "USD", "JPY"]);
    expect(result).toEqual({ ok: true, settings: { freeShippingThresholds: { EUR: 4990, JPY: 5000 }, holdoutBasisPoints: 1000, storefrontLocales: ["en", "fr"], offersPerPage: 3, offersPerShopperPerDay: 8 } });
  });

  it("accepts a decimal comma", () => {
    const result = parseSettingsForm(form([["threshold_EUR", "50,5"], ["holdout", "0"], ["languages", "de"], ["perPage", "1"], ["perDay", "1"]]), ["EUR"]);
    expect(result.ok && result.settings.freeShippingThresholds.EUR).toBe(5050);
  });

  it("names every invalid field and saves nothing", () => {
    const result = parseSettingsForm(form([["threshold_EUR", "-5"], ["threshold_JPY", "10.5"], ["holdout", "80"], ["languages", "xx"], ["perPage", "9"], ["perDay", "0"]]), ["EUR", "JPY"]);
    expect(result).toEqual({
      ok: false,
      errors: {
        threshold_EUR: "settings.errors.threshold",
        threshold_JPY: "settings.errors.threshold",
        holdout: "settings.errors.holdout",
        languages: "settings.errors.languages",
        perPage: "settings.errors.perPage",
        perDay: "settings.errors.perDay",
      },
    });
  });

  it("requires a whole holdout percentage and at least one language", () => {
    const result = parseSettingsForm(form([["holdout", "2.5"]]), ["EUR"]);
    expect(result.ok).toBe(false);
    expect(!result.ok && Object.keys(result.errors).sort()).toEqual(["holdout", "languages", "perDay", "perPage"]);
  });

  it("shows stored values back in the form", () => {
    expect(settingsFormValues({ ...DEFAULT_SETTINGS, freeShippingThresholds: { EUR: 4990 } }, ["EUR", "USD"])).toEqual({
      thresholds: { EUR: "49.90", USD: "" }, holdout: "5", languages: ["en"], perPage: "2", perDay: "6",
    });
  });

  it("takes whole numbers as typed digits only: 1e1, 0x10, 1_0 and +3 are not numbers a merchant types", () => {
    for (const value of ["1e1", "0x10", "1_0", "+3", "3.0", "Infinity", " "]) {
      const result = parseSettingsForm(form([["holdout", value], ["languages", "en"], ["perPage", value], ["perDay", value]]), []);
      expect(result, value).toEqual({ ok: false, errors: { holdout: "settings.errors.holdout", perPage: "settings.errors.perPage", perDay: "settings.errors.perDay" } });
    }
    expect(parseSettingsForm(form([["holdout", " 10 "], ["languages", "en"], ["perPage", "05"], ["perDay", "50"]]), [])).toMatchObject({ ok: true, settings: { holdoutBasisPoints: 1000, offersPerPage: 5, offersPerShopperPerDay: 50 } });
  });
});
