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

/** Column types of Prisma's driver adapter protocol (@prisma/driver-adapter-utils). */
const BOOLEAN = 5;
const TEXT = 7;
const INT32 = 0;

/**
 * A PostgreSQL "connection" for `prisma migrate diff` between two schema files, which needs
 * no database: Prisma's WASM schema engine still connects first and asks for the server
 * version, so this answers that one question (as PostgreSQL 15, what the project's machines
 * run) and refuses everything else. With it, new PostgreSQL migrations are written without a
 * PostgreSQL server. Never used to apply anything: scripts/migrate-postgresql.ts does that.
 */
export function offlinePostgresAdapter() {
  const refuse = async (what: string): Promise<never> => {
    throw new Error(`The offline PostgreSQL adapter only serves schema diffs; it cannot run ${what}.`);
  };
  const connection = {
    provider: "postgres" as const,
    adapterName: "@prisma/adapter-pg",
    async queryRaw(query: { sql: string }) {
      if (/\bversion\(\)/.test(query.sql)) {
        return {
          columnNames: ["exists", "version", "numeric_version"],
          columnTypes: [BOOLEAN, TEXT, INT32],
          rows: [[true, "PostgreSQL 15.0 (offline schema diff)", 150000]],
        };
      }
      return refuse(query.sql);
    },
    executeRaw: (query: { sql: string }) => refuse(query.sql),
    executeScript: () => refuse("a script"),
    startTransaction: () => refuse("a transaction"),
    getConnectionInfo: () => ({ supportsRelationJoins: true }),
    async dispose() {},
  };
  return {
    provider: "postgres" as const,
    adapterName: "@prisma/adapter-pg",
    connect: async () => connection,
    connectToShadowDb: async () => connection,
  };
}
