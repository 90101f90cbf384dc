// Writes a Function extension's schema.graphql, as `shopify app function schema` does, from the
// Function API schema published in @shopify/dev-mcp (Shopify CLI downloads it, which fails
// offline). Usage: node scripts/function-schema.ts extensions/bundle-discount
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { printSchema } from "graphql";
import { parse as parseToml } from "smol-toml";
import { loadFunctionSchema } from "../tests/devshop/functions/schema.ts";

/** The Function API a target belongs to, named as dev-mcp's files name it. */
const API_OF_TARGET: Record<string, string> = {
  "cart.transform.run": "cart_transform",
  "cart.lines.discounts.generate.run": "discount",
  "cart.lines.discounts.generate.fetch": "discount",
  "cart.delivery-options.discounts.generate.run": "discount",
  "cart.delivery-options.discounts.generate.fetch": "discount",
};

const dir = path.resolve(process.argv[2] ?? ".");
const toml = parseToml(readFileSync(path.join(dir, "shopify.extension.toml"), "utf8")) as {
  api_version?: string;
  extensions?: { targeting?: { target: string }[] }[];
};
const target = toml.extensions?.[0]?.targeting?.[0]?.target;
const api = target ? API_OF_TARGET[target] : undefined;
if (!toml.api_version || !api) throw new Error(`${dir}: no api_version, or a target this script does not know (${target}).`);
writeFileSync(path.join(dir, "schema.graphql"), `${printSchema(loadFunctionSchema(api, toml.api_version))}\n`);
console.log(`${path.relative(process.cwd(), dir) || "."}/schema.graphql: ${api} ${toml.api_version}`);
