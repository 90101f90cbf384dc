import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { databaseUrl } from "./app/db.config.ts";

// Prisma in its JS/WASM mode: no native engine to download, so migrations run offline.
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  async adapter() {
    return new PrismaLibSQL({ url: databaseUrl() });
  },
});
