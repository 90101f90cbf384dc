// The two bundle Functions against their fixtures (extensions/<name>/tests/fixtures/*.json, one
// behaviour each, in the layout of Shopify's Function templates): each input is exactly what
// run.graphql asks for, each runs under Node and under QuickJS (built as Shopify CLI builds a JS
// Function) to the expected output, and each output is valid for the target's output type.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { printSchema } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { run as discountRun } from "../../../extensions/bundle-discount/src/run.ts";
import { run as transformRun } from "../../../extensions/bundle-transform/src/run.ts";
import { loadFunction, type LoadedFunction } from "../../devshop/functions/quickjs.ts";
import { loadFunctionSchema, validateInputQuery, validateInputShape, validateOutput } from "../../devshop/functions/schema.ts";

const root = path.resolve(import.meta.dirname, "../../..");

const FUNCTIONS = [
  { name: "bundle-transform", api: "cart_transform", target: "cart.transform.run", outputType: "CartTransformRunResult", run: transformRun as (input: never) => unknown },
  { name: "bundle-discount", api: "discount", target: "cart.lines.discounts.generate.run", outputType: "CartLinesDiscountsGenerateRunResult", run: discountRun as (input: never) => unknown },
] as const;

interface Fixture {
  description: string;
  payload: { export: string; target: string; input: unknown; output: unknown };
}

for (const fn of FUNCTIONS) {
  const dir = path.join(root, "extensions", fn.name);
  const schema = loadFunctionSchema(fn.api, "2026-07");
  const fixtureDir = path.join(dir, "tests", "fixtures");
  const fixtures = readdirSync(fixtureDir).filter((f) => f.endsWith(".json")).sort();

  describe(fn.name, () => {
    let quickjs: LoadedFunction;
    beforeAll(async () => {
      quickjs = await loadFunction(dir);
    });

    it("declares its target and export, and its input query is valid against the Function API", () => {
      expect(quickjs.target).toBe(fn.target);
      expect(quickjs.exportName).toBe("run");
      expect(validateInputQuery(schema, quickjs.inputQuery).map((e) => e.message)).toEqual([]);
    });

    it("keeps schema.graphql as the API prints (npm run schema in the extension)", () => {
      expect(readFileSync(path.join(dir, "schema.graphql"), "utf8")).toBe(`${printSchema(schema)}\n`);
    });

    it("has a fixture per behaviour", () => {
      expect(fixtures.length).toBeGreaterThanOrEqual(10);
    });

    it.each(fixtures)("%s", (file) => {
      const fixture = JSON.parse(readFileSync(path.join(fixtureDir, file), "utf8")) as Fixture;
      const { input, output } = fixture.payload;
      expect(fixture.payload.target).toBe(fn.target);
      expect(validateInputShape(schema, quickjs.inputQuery, input)).toEqual([]);
      expect(validateOutput(schema, fn.outputType, output)).toEqual([]);
      expect(fn.run(input as never)).toEqual(output);
      expect(quickjs.run(input).output).toEqual(output);
    });
  });
}
