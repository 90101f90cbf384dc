import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "prisma/config";
import { offlinePostgresAdapter } from "../../scripts/prisma-offline.ts";

// Prisma's CLI for the PostgreSQL schema (derived from prisma/schema.prisma by scripts/db.ts).
// Used for `generate` and for `migrate diff` between schema files only: applying migrations
// through Prisma's WASM schema engine fails on PostgreSQL in 6.19, so scripts/migrate-postgresql.ts
// applies prisma/migrations-postgresql itself. Hence an adapter that never reaches a server.
const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(here, "schema.prisma"),
  migrations: { path: path.join(here, "..", "migrations-postgresql") },
  async adapter() {
    // The factory's types live in @prisma/driver-adapter-utils, not a dependency of ours;
    // the object implements the part of that interface `migrate diff` uses.
    return offlinePostgresAdapter() as never;
  },
});
