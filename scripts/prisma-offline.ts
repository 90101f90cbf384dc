import { mkdirSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";

/**
 * Prisma's CLI tries to download native engines at start-up unless these point at files.
 * In its JS/WASM mode it never runs them, so empty placeholders keep it offline.
 */
export function prismaOfflineEnv(root: string): Record<string, string> {
  const dir = path.join(root, "node_modules", ".cache", "prisma-placeholders");
  mkdirSync(dir, { recursive: true });
  const schemaEngine = path.join(dir, "schema-engine");
  const queryEngine = path.join(dir, "libquery_engine.so.node");
  for (const file of [schemaEngine, queryEngine]) {
    if (!existsSync(file)) writeFileSync(file, "");
  }
  return {
    PRISMA_SCHEMA_ENGINE_BINARY: schemaEngine,
    PRISMA_QUERY_ENGINE_LIBRARY: queryEngine,
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
  };
}
