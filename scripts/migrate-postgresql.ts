// Applies prisma/migrations-postgresql to a PostgreSQL database.
//
// Prisma 6.19's WASM schema engine (the only one that runs offline) fails to apply
// migrations on PostgreSQL ("Column type 'name' could not be deserialized"), so this small
// migrator does what `prisma migrate deploy` would:
// - bookkeeping in Prisma's own `_prisma_migrations` table, with Prisma's columns and
//   checksums (sha256 of migration.sql), so a later `prisma migrate deploy` or `migrate status`
//   sees the same history;
// - each migration and its bookkeeping row in one transaction (PostgreSQL's DDL is
//   transactional): a failing migration leaves nothing behind and is reported by name;
// - applied once: names already recorded are skipped, and an applied migration whose file has
//   changed since is refused (the database would not match the file);
// - a session advisory lock (Prisma Migrate's own key) around all of it, so two processes
//   starting at once (two app instances, a deploy and a test) apply each migration once.
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { postgresConnection, redactedDatabaseUrl, type PostgresConnection } from "../app/db.config.ts";
import { errorMessages } from "../app/errors.ts";

/** Prisma Migrate's advisory lock key: our migrator and Prisma's exclude each other. */
export const MIGRATION_LOCK_KEY = 72707369;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: string[];
}

/** A failure meant for a person: which database or migration, and why, in one sentence. */
export class MigrationError extends Error {
  override name = "MigrationError";
}

/** sha256 of the file, hex: what Prisma stores in `_prisma_migrations.checksum`. */
export function migrationChecksum(sql: string): string {
  return createHash("sha256").update(sql).digest("hex");
}

/** The migrations in a folder (<timestamp>_<name>/migration.sql), oldest first. */
export function readMigrations(dir: string): Migration[] {
  if (!existsSync(dir)) throw new MigrationError(`No migrations folder at ${dir}.`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: migrationChecksum(sql) };
    });
}

/** Prisma's own definition of its bookkeeping table (PostgreSQL flavour). */
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

interface Row {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

function reason(error: unknown): string {
  const messages = errorMessages(error).flatMap((m) => m.split("\n")).map((l) => l.trim()).filter(Boolean);
  // node-postgres reports a refused connection as an AggregateError with an empty message.
  const code = (error as { code?: string } | null)?.code;
  return messages[0] ?? code ?? "unknown error";
}

/** PostgreSQL's error code for "database does not exist". */
const INVALID_CATALOG_NAME = "3D000";

async function connect(connection: PostgresConnection): Promise<pg.Client | Error> {
  const client = new pg.Client({
    connectionString: connection.connectionString,
    options: connection.options,
    connectionTimeoutMillis: 10_000,
  });
  // A dropped connection is reported by the query that needed it; an unhandled 'error'
  // event would crash the process instead.
  client.on("error", () => {});
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => {});
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** Creates the database a URL names; returns its name, or the error. */
async function createDatabase(connection: PostgresConnection): Promise<string | Error> {
  const url = new URL(connection.connectionString);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = "/postgres";
  const admin = await connect({ connectionString: url.toString() });
  if (admin instanceof Error) return admin;
  try {
    await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    return name;
  } catch (error) {
    // Another process may have created it in the meantime.
    if ((error as { code?: string }).code === "42P04") return name;
    return error instanceof Error ? error : new Error(String(error));
  } finally {
    await admin.end().catch(() => {});
  }
}

export interface MigrateOptions {
  url: string;
  dir: string;
  log?: (line: string) => void;
}

/** Applies the pending migrations in `dir` to the database at `url`. */
export async function migratePostgres({ url, dir, log = () => {} }: MigrateOptions): Promise<MigrationResult> {
  const migrations = readMigrations(dir);
  const connection = postgresConnection(url);
  let client = await connect(connection);
  if (client instanceof Error && (client as { code?: string }).code === INVALID_CATALOG_NAME) {
    // Like `prisma migrate deploy` (and SQLite's file): a database that does not exist yet is
    // created, from the server's maintenance database.
    const database = await createDatabase(connection);
    if (database instanceof Error) {
      throw new MigrationError(`Cannot create the database at ${redactedDatabaseUrl(url)} (${reason(database)}).`);
    }
    log(`Created database ${database}`);
    client = await connect(connection);
  }
  if (client instanceof Error) {
    throw new MigrationError(`Cannot reach PostgreSQL at ${redactedDatabaseUrl(url)} (${reason(client)}).`);
  }
  try {
    const locked = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [MIGRATION_LOCK_KEY]);
    if (!locked.rows[0]?.locked) {
      log("Another process is migrating this database; waiting for it to finish...");
      await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    }
    if (connection.schema) await client.query(`CREATE SCHEMA IF NOT EXISTS "${connection.schema}"`);
    await client.query(CREATE_MIGRATIONS_TABLE);
    // Read after taking the lock: whatever another process applied meanwhile is seen here.
    const { rows } = await client.query<Row>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL ORDER BY started_at`,
    );
    const failed = rows.find((row) => row.finished_at === null);
    if (failed) {
      throw new MigrationError(
        `Migration ${failed.migration_name} is recorded as started but not finished in ${redactedDatabaseUrl(url)}; ` +
          `repair the database by hand, then mark it rolled back (UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = '${failed.migration_name}').`,
      );
    }
    const recorded = new Map(rows.map((row) => [row.migration_name, row]));
    const result: MigrationResult = { applied: [], alreadyApplied: [] };
    for (const migration of migrations) {
      const row = recorded.get(migration.name);
      if (row) {
        if (row.checksum !== migration.checksum) {
          throw new MigrationError(
            `Migration ${migration.name} was changed after it was applied (checksum ${migration.checksum.slice(0, 12)}... on disk, ` +
              `${row.checksum.slice(0, 12)}... applied). Restore the file and put the change in a new migration.`,
          );
        }
        result.alreadyApplied.push(migration.name);
        continue;
      }
      try {
        await client.query("BEGIN");
        await client.query(migration.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), clock_timestamp(), 1)`,
          [randomUUID(), migration.checksum, migration.name],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw new MigrationError(`Migration ${migration.name} failed and was rolled back: ${reason(error)}`);
      }
      result.applied.push(migration.name);
      log(`Applied ${migration.name}`);
    }
    const known = new Set(migrations.map((m) => m.name));
    const unknown = rows.filter((row) => !known.has(row.migration_name)).map((row) => row.migration_name);
    if (unknown.length > 0) log(`The database has migrations this checkout does not know: ${unknown.join(", ")}.`);
    return result;
  } finally {
    // Ending the session releases the advisory lock as well.
    await client.end().catch(() => {});
  }
}
