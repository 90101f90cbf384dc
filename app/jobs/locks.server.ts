// Mutual exclusion for work that reads, changes and writes back shared state (the learned
// model of a shop): on PostgreSQL an advisory lock, so app instances exclude each other; on
// SQLite, which one process serves, a queue in that process.
import { createRequire } from "node:module";
import type { Pool } from "pg";
import type { Db } from "~/db.server";
import { databaseKind, databaseUrl, postgresConnection } from "~/db.config";

const local = new Map<string, Promise<unknown>>();

async function withLocalLock<T>(name: string, work: () => Promise<T>): Promise<T> {
  const previous = local.get(name) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(work);
  local.set(name, next);
  try {
    return await next;
  } finally {
    if (local.get(name) === next) local.delete(name);
  }
}

let pool: Pool | null = null;

function postgresPool(): Pool {
  if (!pool) {
    const { Pool: PgPool } = createRequire(import.meta.url)("pg") as typeof import("pg");
    const { connectionString, options } = postgresConnection(databaseUrl());
    // Locks only: each holder keeps one connection for as long as it holds its lock.
    pool = new PgPool({ connectionString, options, max: 8, idleTimeoutMillis: 10_000 });
    pool.on("error", (error) => console.error("uplift: lock connection failed", error));
  }
  return pool;
}

/**
 * Runs `work` while holding the lock `name`, released when it ends (or when the process dies:
 * the advisory lock goes with its connection). Work under one name never overlaps, in this
 * process or any other sharing the database.
 */
export async function withLock<T>(name: string, work: () => Promise<T>): Promise<T> {
  if (databaseKind(databaseUrl()) === "sqlite") return withLocalLock(name, work);
  const client = await postgresPool().connect();
  try {
    await client.query("SELECT pg_advisory_lock(hashtextextended($1, 0))", [name]);
    try {
      return await work();
    } finally {
      await client.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [name]);
    }
  } finally {
    client.release();
  }
}

/**
 * Takes the lock `name` for the rest of the caller's transaction (`atomically`): on PostgreSQL
 * a transaction-scoped advisory lock, released by the commit or rollback, costing one statement
 * on the transaction's own connection; on SQLite nothing, as its one connection runs one
 * transaction at a time.
 */
export async function lockForTransaction(db: Db, name: string): Promise<void> {
  if (databaseKind(databaseUrl()) === "sqlite") return;
  await db.$queryRawUnsafe("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))::text", name);
}
