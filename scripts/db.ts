// Database chores: `node scripts/db.ts generate | migrate | new-migration <name> | check`.
// Runs Prisma's CLI in its offline JS/WASM mode (see scripts/prisma-offline.ts).
//
// prisma/schema.prisma (SQLite) is the one schema developers edit. The PostgreSQL schema is
// derived from it (scripts/db-targets.ts) each time it is needed, so the two cannot drift;
// each database has its own committed migrations (prisma/migrations and
// prisma/migrations-postgresql), both written by `new-migration`.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { databaseKind, databaseUrl, sqliteFile } from "../app/db.config.ts";
import { POSTGRESQL, POSTGRESQL_CLIENT, ROOT as root, SQLITE, TARGETS, writePostgresSchema, type DbTarget } from "./db-targets.ts";
import { migratePostgres, MigrationError } from "./migrate-postgresql.ts";
import { prismaOfflineEnv } from "./prisma-offline.ts";

const prismaCli = path.join(root, "node_modules", "prisma", "build", "index.js");

function prisma(args: string[], extraEnv: Record<string, string> = {}): void {
  const result = spawnSync(process.execPath, [prismaCli, ...args], {
    cwd: root,
    stdio: ["inherit", "pipe", "inherit"],
    encoding: "utf8",
    env: { ...process.env, ...prismaOfflineEnv(root), DATABASE_URL: databaseUrl(), ...extraEnv },
  });
  process.stdout.write(withoutUnusedUrlWarning(result.stdout ?? ""));
  if (result.status !== 0) {
    console.error(`\nprisma ${args.join(" ")} failed (exit ${result.status}).`);
    process.exit(result.status ?? 1);
  }
}

/**
 * Prisma 6 refuses a schema without a datasource `url`, then warns on every command run
 * through a driver adapter that the url "will NOT be used" (Prisma 7 drops the url from
 * schemas). The url is there only to satisfy the first check, so that one warning is left
 * out; everything else Prisma prints passes through.
 */
function withoutUnusedUrlWarning(output: string): string {
  return output.replace(/\n?WARNING: Your schema specifies the following datasource properties but you are using a Driver Adapter[\s\S]*?if you are only using driver adapters\.\n/, "");
}

/**
 * Generates both clients: the SQLite one to node_modules/.prisma/client (what
 * `@prisma/client` exports) and the PostgreSQL one to node_modules/.prisma/client-postgresql.
 */
function generate(): void {
  prisma(["generate", "--no-hints"]);
  writePostgresSchema(root);
  prisma(["generate", "--no-hints", "--config", POSTGRESQL.config]);
  shareRuntime(path.join(root, "node_modules", POSTGRESQL_CLIENT));
}

/**
 * Prisma gives a client generated to a custom folder its own copy of the runtime
 * (./runtime), identical to @prisma/client/runtime of the same version. With two copies,
 * the PostgreSQL client's errors would not be instances of `Prisma.PrismaClientKnownRequestError`
 * from @prisma/client, which code such as @shopify/shopify-app-session-storage-prisma
 * checks. So the PostgreSQL client is pointed at @prisma/client's runtime, as Prisma itself
 * does for the default folder, and the copy removed.
 */
function shareRuntime(dir: string): void {
  let rewritten = 0;
  for (const file of readdirSync(dir).filter((f) => /\.(js|d\.ts)$/.test(f))) {
    const full = path.join(dir, file);
    const text = readFileSync(full, "utf8");
    const shared = text.replace(/(['"])\.\/runtime\//g, "$1@prisma/client/runtime/");
    if (shared !== text) {
      writeFileSync(full, shared);
      rewritten++;
    }
  }
  if (!existsSync(path.join(dir, "index.js")) || !readFileSync(path.join(dir, "index.js"), "utf8").includes("@prisma/client/runtime/client.js") || rewritten === 0) {
    console.error(`Could not point ${dir} at @prisma/client's runtime: has Prisma's generated code changed?`);
    process.exit(1);
  }
  rmSync(path.join(dir, "runtime"), { recursive: true, force: true });
}

export async function migrate(): Promise<void> {
  const url = databaseUrl();
  if (databaseKind(url) === "postgresql") {
    try {
      const result = await migratePostgres({ url, dir: path.join(root, POSTGRESQL.migrations), log: (line) => console.log(line) });
      console.log(
        result.applied.length > 0
          ? `PostgreSQL: applied ${result.applied.length} migration(s); ${result.alreadyApplied.length} already applied.`
          : `PostgreSQL: all ${result.alreadyApplied.length} migration(s) already applied.`,
      );
    } catch (error) {
      if (!(error instanceof MigrationError)) throw error;
      console.error(error.message);
      process.exit(1);
    }
    return;
  }
  const file = sqliteFile(url);
  if (file) mkdirSync(path.dirname(path.resolve(root, file)), { recursive: true });
  prisma(["migrate", "deploy"]);
}

/** The SQL that takes a target's committed migrations (its snapshot) to the current schema. */
function pendingSql(target: DbTarget): string {
  const snapshot = path.join(root, target.migrations, "schema.snapshot.prisma");
  const from = existsSync(snapshot) ? ["--from-schema-datamodel", snapshot] : ["--from-empty"];
  const diff = spawnSync(
    process.execPath,
    [prismaCli, "migrate", "diff", "--config", target.config, ...from, "--to-schema-datamodel", target.schema, "--script"],
    // A diff between two schema files reads no database; an in-memory one keeps the SQLite
    // side from opening (or failing to open) the real file. The PostgreSQL config never
    // connects anywhere (see scripts/prisma-offline.ts).
    { cwd: root, encoding: "utf8", env: { ...process.env, ...prismaOfflineEnv(root), DATABASE_URL: ":memory:" } },
  );
  if (diff.status !== 0) {
    console.error(diff.stderr);
    process.exit(1);
  }
  return /\b(CREATE|ALTER|DROP|INSERT)\b/.test(diff.stdout) ? diff.stdout : "";
}

/**
 * Writes <timestamp>_<name>/migration.sql in prisma/migrations and in
 * prisma/migrations-postgresql: for each, the SQL that takes its committed migrations to the
 * current schema. `migrate dev` and diffs against a live database are unsupported in the
 * WASM engine, so the schema each folder's migrations produce is kept beside them
 * (schema.snapshot.prisma) and diffed against the current one. A folder already up to date
 * gets nothing, so after a merge that brought a SQLite-only migration this writes just the
 * PostgreSQL one that catches up.
 */
function newMigration(name: string): void {
  if (!/^[\w-]+$/.test(name)) {
    console.error(`A migration name is letters, digits, _ and - (got "${name}").`);
    process.exit(2);
  }
  writePostgresSchema(root);
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  let written = 0;
  for (const target of TARGETS) {
    const migrations = path.join(root, target.migrations);
    mkdirSync(migrations, { recursive: true });
    const lock = path.join(migrations, "migration_lock.toml");
    if (!existsSync(lock)) writeFileSync(lock, `provider = "${target.kind}"\n`);
    const sql = pendingSql(target);
    if (!sql) continue;
    const dir = path.join(migrations, `${stamp}_${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "migration.sql"), sql);
    copyFileSync(path.join(root, target.schema), path.join(migrations, "schema.snapshot.prisma"));
    console.log(`Wrote ${path.relative(root, dir)}/migration.sql`);
    written++;
  }
  if (written === 0) console.log("The schema matches the migrations: nothing to write.");
}

/** Fails when a migrations folder is behind prisma/schema.prisma (a forgotten new-migration). */
function check(): void {
  writePostgresSchema(root);
  const behind = TARGETS.filter((target) => pendingSql(target) !== "");
  for (const target of behind) {
    console.error(`${target.migrations} does not produce ${SQLITE.schema}: run \`node scripts/db.ts new-migration <name>\`.`);
  }
  if (behind.length > 0) process.exit(1);
  console.log("Both migration folders match prisma/schema.prisma.");
}

const [command, name] = process.argv.slice(2);
switch (command) {
  case "generate":
    generate();
    break;
  case "migrate":
    await migrate();
    break;
  case "new-migration":
    newMigration(name ?? "change");
    break;
  case "check":
    check();
    break;
  default:
    console.error("usage: node scripts/db.ts generate | migrate | new-migration <name> | check");
    process.exit(2);
}
