// Database chores: `node scripts/db.ts generate | migrate | diff <name>`.
// Runs Prisma's CLI in its offline JS/WASM mode (see scripts/prisma-offline.ts).
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { databaseKind, databaseUrl, sqliteFile } from "../app/db.config.ts";
import { prismaOfflineEnv } from "./prisma-offline.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const prismaCli = path.join(root, "node_modules", "prisma", "build", "index.js");

function prisma(args: string[], extraEnv: Record<string, string> = {}): void {
  const result = spawnSync(process.execPath, [prismaCli, ...args], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, ...prismaOfflineEnv(root), DATABASE_URL: databaseUrl(), ...extraEnv },
  });
  if (result.status !== 0) {
    console.error(`\nprisma ${args.join(" ")} failed (exit ${result.status}).`);
    process.exit(result.status ?? 1);
  }
}

export function migrate(): void {
  const url = databaseUrl();
  if (databaseKind(url) !== "sqlite") {
    console.error("Migrations run on SQLite only for now; PostgreSQL support is not built yet.");
    process.exit(1);
  }
  const file = sqliteFile(url);
  if (file) mkdirSync(path.dirname(path.resolve(root, file)), { recursive: true });
  prisma(["migrate", "deploy"]);
}

/**
 * Writes prisma/migrations/<timestamp>_<name>/migration.sql with the SQL that takes the
 * committed migrations to the current schema. `migrate dev` and diffs against a live
 * database are unsupported in the WASM engine, so the schema the migrations produce is
 * kept beside them (schema.snapshot.prisma) and diffed against the current one.
 */
function newMigration(name: string): void {
  const migrations = path.join(root, "prisma", "migrations");
  const snapshot = path.join(migrations, "schema.snapshot.prisma");
  mkdirSync(migrations, { recursive: true });
  const lock = path.join(migrations, "migration_lock.toml");
  if (!existsSync(lock)) writeFileSync(lock, 'provider = "sqlite"\n');
  const from = existsSync(snapshot) ? ["--from-schema-datamodel", snapshot] : ["--from-empty"];
  const diff = spawnSync(
    process.execPath,
    [prismaCli, "migrate", "diff", ...from, "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
    { cwd: root, encoding: "utf8", env: { ...process.env, ...prismaOfflineEnv(root) } },
  );
  if (diff.status !== 0) {
    console.error(diff.stderr);
    process.exit(1);
  }
  if (!/\b(CREATE|ALTER|DROP|INSERT)\b/.test(diff.stdout)) {
    console.log("The schema matches the migrations: nothing to write.");
    return;
  }
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const dir = path.join(migrations, `${stamp}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "migration.sql"), diff.stdout);
  copyFileSync(path.join(root, "prisma", "schema.prisma"), snapshot);
  console.log(`Wrote ${path.relative(root, dir)}/migration.sql`);
}

const [command, name] = process.argv.slice(2);
switch (command) {
  case "generate":
    prisma(["generate", "--no-hints"]);
    break;
  case "migrate":
    migrate();
    break;
  case "new-migration":
    newMigration(name ?? "change");
    break;
  default:
    console.error("usage: node scripts/db.ts generate | migrate | new-migration <name>");
    process.exit(2);
}
