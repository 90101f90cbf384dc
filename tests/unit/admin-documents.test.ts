import { readdirSync } from "node:fs";
import path from "node:path";
import { parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { loadAdminSchema } from "../devshop/schema.ts";

// Every Admin GraphQL document the app sends lives in app/shopify/*.queries.ts and must be
// valid against Shopify's published Admin schema for the API version the app uses.
const schema = loadAdminSchema("2026-10");
const dir = path.resolve(__dirname, "../../app/shopify");
const files = readdirSync(dir).filter((f) => f.endsWith(".queries.ts"));

const errorsOf = (document: string) => validate(schema, parse(document)).map((e) => e.message);

describe("Admin GraphQL documents", async () => {
  const documents: [string, string][] = [];
  for (const file of files) {
    const module = (await import(path.join(dir, file))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(module)) {
      if (typeof value === "string" && value.includes("#graphql")) documents.push([`${file}: ${name}`, value]);
    }
  }

  it("finds the documents", () => {
    expect(documents.length).toBeGreaterThanOrEqual(7);
  });

  it.each(documents)("%s is valid against the 2026-10 Admin schema", (_name, document) => {
    expect(errorsOf(document)).toEqual([]);
  });

  it("rejects a document Shopify would reject", () => {
    expect(errorsOf("query { products(first: 1) { nodes { price } } }")).toEqual([
      expect.stringContaining('Cannot query field "price" on type "Product"'),
    ]);
  });
});
