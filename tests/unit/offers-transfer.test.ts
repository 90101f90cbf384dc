import { describe, expect, it } from "vitest";
import { exportOffers, parseOfferImport } from "~/offers/transfer";
import { phoneFbt, phoneLadder } from "./support/offers";

const file = exportOffers([phoneFbt({ name: "First" }, "a"), phoneFbt({ name: "Second" }, "b")], new Date("2026-11-23T00:00:00Z"));

describe("offer export and import", () => {
  it("round-trips: what is exported imports as the same definitions", () => {
    const result = parseOfferImport(file, "bundle");
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { id: _id, createdAt: _c, ...definition } = phoneFbt({ name: "First" });
    expect(result.offers.map((o) => o.name)).toEqual(["First", "Second"]);
    expect(result.offers[0]).toEqual(definition);
  });

  it("names the line and the field of every problem, and imports nothing", () => {
    const broken = file.replace('"name":"Second"', '"name":""').replace('"quantity":1', '"quantity":0');
    const result = parseOfferImport(broken, "bundle");
    expect(result).toEqual({
      ok: false,
      problems: [
        { line: 6, path: "bundle.companions.0.quantity", message: "offers.errors.quantity" },
        { line: 7, path: "name", message: "offers.errors.required" },
      ],
    });
  });

  it("refuses a file that is not JSON with the line of the syntax error", () => {
    const result = parseOfferImport(file.replace('"version": 1,', '"version": 1'), "bundle");
    expect(result).toMatchObject({ ok: false, problems: [{ line: 4, path: "", message: "offers.import.notJson" }] });
  });

  it("refuses other files, other versions, empty lists and offers of another kind", () => {
    expect(parseOfferImport('{"offers": []}', "bundle")).toMatchObject({ ok: false, problems: [{ message: "offers.import.notUplift" }] });
    expect(parseOfferImport(file.replace('"version": 1', '"version": 9'), "bundle")).toMatchObject({ ok: false, problems: [{ message: "offers.import.version" }] });
    expect(parseOfferImport(exportOffers([], new Date()), "bundle")).toMatchObject({ ok: false, problems: [{ message: "offers.import.noOffers" }] });
    const ladders = exportOffers([phoneLadder()], new Date());
    expect(parseOfferImport(ladders, "bundle")).toMatchObject({ ok: false, problems: [{ line: 6, path: "kind", message: "offers.import.wrongKind.upgrade" }] });
  });
});
