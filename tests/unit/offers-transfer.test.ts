import { describe, expect, it } from "vitest";
import { exportOffers, MAX_IMPORT_BYTES, MAX_IMPORT_OFFERS, parseOfferImport } from "~/offers/transfer";
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

  it("reports every problem of a full file with its own line, in one pass", () => {
    const offers = Array.from({ length: MAX_IMPORT_OFFERS }, (_, i) => phoneFbt({ name: i % 2 ? `Offer ${i}` : "" }, `o${i}`));
    const result = parseOfferImport(exportOffers(offers, new Date()), "bundle");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    // One offer per line from line 6: every other one has no name.
    expect(result.problems).toEqual(offers.flatMap((_, i) => (i % 2 ? [] : [{ line: 6 + i, path: "name", message: "offers.errors.required" }])));
  });

  it("reports each syntax error with its line, not only the first", () => {
    const broken = file.replace('"version": 1,', '"version": 1').replace('"offers": [', '"offers": [,');
    const result = parseOfferImport(broken, "bundle");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(new Set(result.problems.map((p) => p.line))).toEqual(new Set([4, 5]));
    expect(result.problems.every((p) => p.message === "offers.import.notJson")).toBe(true);
  });

  it("refuses a file over the size limit, and one nested thousands deep, before parsing it", () => {
    const padded = file.replace('"offers": [', `"offers": [${" ".repeat(MAX_IMPORT_BYTES)}`);
    expect(parseOfferImport(padded, "bundle")).toEqual({ ok: false, problems: [{ line: 1, path: "", message: "offers.import.tooLarge", detail: "2 MB" }] });
    // Multi-byte text counts as the bytes it takes: 700,000 "€" are 2.1 MB.
    expect(parseOfferImport(file.replace('"name":"First"', `"name":"${"€".repeat(700_000)}"`), "bundle")).toMatchObject({ ok: false, problems: [{ message: "offers.import.tooLarge" }] });
    const deep = file.replace('"offers": [', `"offers": [\n${"[".repeat(5000)}${"]".repeat(5000)},`);
    expect(parseOfferImport(deep, "bundle")).toMatchObject({ ok: false, problems: [{ line: 6, path: "", message: "offers.import.tooDeep" }] });
  });
});
