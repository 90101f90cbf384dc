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
  getNullableType,
  isInputObjectType,
  isInputType,
  isListType,
  isNonNullType,
  parse,
  validate,
  type GraphQLError,
  type GraphQLInputObjectType,
  type GraphQLInputType,
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
 * (required fields present, no unknown fields, enums and lists well formed), and each
 * `@oneOf` input (an operation, a target, a value) holds exactly one member.
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
  checkOneOf(value, type, "", errors);
  return errors;
}

/**
 * dev-mcp's introspection JSON does not carry `isOneOf`, so graphql-js cannot enforce
 * `@oneOf` from it. In the Function APIs the `@oneOf` inputs are exactly the input objects
 * whose fields are all optional (`Operation`, `CartOperation`, `ProductDiscountCandidateTarget`,
 * `ProductDiscountCandidateValue`, `ExpandedItemPriceAdjustmentValue`, ...), except the
 * fetch targets' results (`...FetchResult { request }`, where the one field may be null).
 */
function isOneOf(type: GraphQLInputObjectType): boolean {
  const fields = Object.values(type.getFields());
  return !type.name.endsWith("Result") && fields.length > 0 && fields.every((f) => !isNonNullType(f.type));
}

function checkOneOf(value: unknown, type: GraphQLInputType, at: string, errors: OutputError[]): void {
  if (value === null || value === undefined) return;
  const nullable = getNullableType(type) as GraphQLInputType;
  if (isListType(nullable)) {
    if (Array.isArray(value)) value.forEach((item, i) => checkOneOf(item, nullable.ofType as GraphQLInputType, `${at}[${i}]`, errors));
    return;
  }
  if (!isInputObjectType(nullable) || typeof value !== "object" || Array.isArray(value)) return;
  const record = value as Record<string, unknown>;
  const fields = nullable.getFields();
  if (isOneOf(nullable)) {
    const set = Object.keys(record).filter((k) => record[k] !== null && record[k] !== undefined);
    if (set.length !== 1) {
      errors.push({ path: at, message: `${nullable.name} is a @oneOf input: exactly one of ${Object.keys(fields).join(", ")} must be given, got ${set.length ? set.join(", ") : "none"}.` });
    }
  }
  for (const [key, field] of Object.entries(fields)) {
    if (key in record) checkOneOf(record[key], field.type, at ? `${at}.${key}` : key, errors);
  }
}
