import path from "node:path";
import { describe, expect, it } from "vitest";
import { check } from "@shopify/theme-check-node";

// Shopify's own linter for theme app extensions (the checks `shopify app deploy` runs),
// with its theme-app-extension configuration (theme-check.yml beside this test).
const EXT = path.resolve(__dirname, "..", "..", "extensions", "storefront");

describe("theme-check on extensions/storefront", () => {
  it("finds nothing to report", async () => {
    const offenses = await check(EXT, path.join(__dirname, "theme-check.yml"));
    expect(offenses.map((o) => `${o.check} ${path.relative(EXT, new URL(o.uri).pathname)}:${o.start.line} ${o.message}`)).toEqual([]);
  }, 60_000);
});
