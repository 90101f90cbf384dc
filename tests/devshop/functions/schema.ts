// Shopify's real Function API schemas (input and output), as published in @shopify/dev-mcp,
// and the two checks Shopify makes on a Function: its input query must be valid against the
// API's schema, and its output must coerce to the target's output input type.
import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { devMcpRoot } from "../schema.ts";
import {
  buildClientSchema,
  coerceInputValue,
  getNamedType,
  getNullableType,
  isAbstractType,
  isEnumType,
  isInputObjectType,
  isObjectType,
  isScalarType,
  Kind,
  isInputType,
  isListType,
  isNonNullType,
  parse,
  validate,
  type GraphQLError,
  type GraphQLInputObjectType,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql";

/** The Function APIs this project uses, by the name dev-mcp's files carry. */
export type FunctionApi = "cart_transform" | "discount";
export const FUNCTION_API_VERSION = "2026-07";

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

/**
 * Checks that `input` is exactly what the input query asks for, as Shopify would build it: every
 * selected field (by its alias) present, nothing else, nulls only where the schema allows them,
 * `__typename` (or its alias) naming a possible type wherever the query selects it on a union or
 * interface (where it does not, the value must match the selection for one possible type), and
 * scalars and enums of the right kind. Returns the errors; empty when it matches.
 */
export function validateInputShape(schema: GraphQLSchema, queryText: string, input: unknown): OutputError[] {
  const document = parse(queryText);
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) throw new Error("The input query has no operation.");
  const errors: OutputError[] = [];
  const root = schema.getQueryType();
  if (!root) throw new Error("The schema has no query type.");
  checkSelection(schema, operation.selectionSet, root, input, "", errors);
  return errors;
}

function checkValue(schema: GraphQLSchema, type: GraphQLOutputType, selection: SelectionSetNode | undefined, value: unknown, at: string, errors: OutputError[]): void {
  if (value === null || value === undefined) {
    if (isNonNullType(type)) errors.push({ path: at, message: `missing or null, but ${String(type)} is required` });
    return;
  }
  const nullable = getNullableType(type) as GraphQLOutputType;
  if (isListType(nullable)) {
    if (!Array.isArray(value)) errors.push({ path: at, message: `expected a list (${String(nullable)})` });
    else value.forEach((item, i) => checkValue(schema, nullable.ofType as GraphQLOutputType, selection, item, `${at}[${i}]`, errors));
    return;
  }
  if (isScalarType(nullable)) {
    const ok: Record<string, (v: unknown) => boolean> = {
      String: (v) => typeof v === "string",
      ID: (v) => typeof v === "string",
      Boolean: (v) => typeof v === "boolean",
      Int: (v) => Number.isInteger(v),
      Float: (v) => typeof v === "number",
      Decimal: (v) => (typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v)) || typeof v === "number",
    };
    if (ok[nullable.name] && !ok[nullable.name]!(value)) errors.push({ path: at, message: `not a ${nullable.name}: ${JSON.stringify(value)}` });
    return;
  }
  if (isEnumType(nullable)) {
    if (typeof value !== "string" || !nullable.getValue(value)) errors.push({ path: at, message: `not a ${nullable.name}: ${JSON.stringify(value)}` });
    return;
  }
  if (!selection || typeof value !== "object" || Array.isArray(value)) {
    errors.push({ path: at, message: `expected an object (${String(nullable)})` });
    return;
  }
  let concrete = nullable;
  if (isAbstractType(nullable)) {
    const possibleTypes = schema.getPossibleTypes(nullable);
    const typenameField = selection.selections.find((n) => n.kind === Kind.FIELD && n.name.value === "__typename");
    if (!typenameField || typenameField.kind !== Kind.FIELD) {
      // No __typename selected: Shopify answers with the fields of the fragments that apply to
      // the value's type (an empty object when none does), so the value must be exactly that
      // for one of the possible types.
      const tried = possibleTypes.map((t) => {
        const own: OutputError[] = [];
        checkSelection(schema, selection, t, value, at, own);
        return own;
      });
      if (!tried.some((own) => own.length === 0)) {
        errors.push({ path: at, message: `matches the query's selection for none of ${nullable.name}'s possible types (${possibleTypes.map((t) => t.name).join(", ")})` });
      }
      return;
    }
    const typename = (value as Record<string, unknown>)[typenameField.alias?.value ?? "__typename"];
    const possible = possibleTypes.find((t) => t.name === typename);
    if (!possible) {
      errors.push({ path: at, message: `__typename ${JSON.stringify(typename)} is not a possible type of ${nullable.name}` });
      return;
    }
    concrete = possible;
  }
  if (isObjectType(concrete)) checkSelection(schema, selection, concrete, value, at, errors);
}

function checkSelection(schema: GraphQLSchema, selection: SelectionSetNode, type: GraphQLOutputType, value: unknown, at: string, errors: OutputError[]): void {
  const named = getNamedType(type);
  if (!isObjectType(named) || typeof value !== "object" || value === null) return;
  const record = value as Record<string, unknown>;
  const expected = new Set<string>();
  const visit = (set: SelectionSetNode) => {
    for (const node of set.selections) {
      if (node.kind === Kind.FIELD) {
        const key = node.alias?.value ?? node.name.value;
        expected.add(key);
        const where = at ? `${at}.${key}` : key;
        if (node.name.value === "__typename") {
          if (record[key] !== named.name) errors.push({ path: where, message: `expected "${named.name}", got ${JSON.stringify(record[key])}` });
          continue;
        }
        const field = named.getFields()[node.name.value];
        if (!field) {
          errors.push({ path: where, message: `${named.name} has no field ${node.name.value}` });
          continue;
        }
        if (!(key in record)) {
          errors.push({ path: where, message: "selected by the query but missing from the input" });
          continue;
        }
        checkValue(schema, field.type, node.selectionSet, record[key], where, errors);
      } else if (node.kind === Kind.INLINE_FRAGMENT) {
        const on = node.typeCondition?.name.value;
        const applies = !on || on === named.name || named.getInterfaces().some((i) => i.name === on) ||
          (() => { const t = schema.getType(on); return !!t && isAbstractType(t) && schema.isSubType(t, named); })();
        if (applies) visit(node.selectionSet);
      } else {
        throw new Error("Named fragments are not supported in input queries here.");
      }
    }
  };
  visit(selection);
  for (const key of Object.keys(record)) {
    if (!expected.has(key)) errors.push({ path: at ? `${at}.${key}` : key, message: "not selected by the query" });
  }
}
