// Shopify's real Admin GraphQL schema, as published in @shopify/dev-mcp.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, type GraphQLSchema } from "graphql";

export const ADMIN_API_VERSION = "2026-10";
/** The package's folder, found the way Node finds packages (its exports map hides its files). */
export function devMcpRoot(): string {
  const paths = createRequire(import.meta.url).resolve.paths("@shopify/dev-mcp") ?? [];
  const found = paths.map((dir) => path.join(dir, "@shopify", "dev-mcp")).find((dir) => existsSync(dir));
  if (!found) throw new Error("@shopify/dev-mcp is not installed: run npm install.");
  return found;
}

const cache = new Map<string, GraphQLSchema>();

export function loadAdminSchema(version: string = ADMIN_API_VERSION): GraphQLSchema {
  const cached = cache.get(version);
  if (cached) return cached;
  const file = path.join(devMcpRoot(), "dist", "data", `admin_${version}.json.gz`);
  const json = JSON.parse(gunzipSync(readFileSync(file)).toString("utf8"));
  const schema = buildClientSchema(json.data);
  cache.set(version, schema);
  return schema;
}
