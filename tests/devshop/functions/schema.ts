// Shopify's real Function API schemas (input and output), as published in @shopify/dev-mcp,
// and the two checks Shopify makes on a Function: its input query must be valid against the
// API's schema, and its output must coerce to the target's output input type.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import {
  buildClientSchema,
  coerceInputValue,
  isInputType,
  parse,
  validate,
  type GraphQLError,
  type GraphQLSchema,
} from "graphql";

/** The Function APIs this project uses, by the name dev-mcp's files carry. */
export type FunctionApi = "cart_transform" | "discount";
export const FUNCTION_API_VERSION = "2026-07";

/** The package's folder, found the way Node finds packages (its exports map hides its files). */
function devMcpRoot(): string {
  const paths = createRequire(import.meta.url).resolve.paths("@shopify/dev-mcp") ?? [];
  const found = paths.map((dir) => path.join(dir, "@shopify", "dev-mcp")).find((dir) => existsSync(dir));
  if (!found) throw new Error("@shopify/dev-mcp is not installed: run npm install.");
  return found;
}

const cache = new Map<string, GraphQLSchema>();

/** The Function API's schema, e.g. `loadFunctionSchema("discount", "2026-07")`; built once per process. */
export function loadFunctionSchema(api: FunctionApi | string, version: string = FUNCTION_API_VERSION): GraphQLSchema {
  const key = `${api}@${version}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const file = path.join(devMcpRoot(), "dist", "data", `functions_${api}_${version}.json.gz`);
  const json = JSON.parse(gunzipSync(readFileSync(file)).toString("utf8"));
  const schema = buildClientSchema(json.data ?? json);
  cache.set(key, schema);
  return schema;
}

/** The validation errors of an input query (`src/run.graphql`) against the API's schema; empty when valid. */
export function validateInputQuery(schema: GraphQLSchema, queryText: string): readonly GraphQLError[] {
  let document;
  try {
    document = parse(queryText);
  } catch (error) {
    return [error as GraphQLError];
  }
  return validate(schema, document);
}

export interface OutputError {
  /** Where in the output, e.g. `operations[0].linesMerge.cartLines`. */
  path: string;
  message: string;
}

/**
 * Checks a Function's output against the target's output input type (`CartTransformRunResult`,
 * `CartLinesDiscountsGenerateRunResult`) as Shopify does: the value must coerce to the type
 * (required fields present, no unknown fields, scalars and `@oneOf` inputs well formed).
 * Returns the errors; empty when the output is valid.
 */
export function validateOutput(schema: GraphQLSchema, typeName: string, value: unknown): OutputError[] {
  const type = schema.getType(typeName);
  if (!type || !isInputType(type)) throw new Error(`${typeName} is not an input type of this schema.`);
  const errors: OutputError[] = [];
  coerceInputValue(value, type, (at, _invalid, error) => {
    const where = at.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("").replace(/^\./, "");
    errors.push({ path: where, message: error.message });
  });
  return errors;
}
