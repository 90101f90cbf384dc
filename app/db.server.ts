import { PrismaClient } from "@prisma/client";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { databaseKind, databaseUrl } from "./db.config";
import { errorMessages } from "./errors";

/** Thrown when the database cannot be opened; its message is meant for a person. */
export class DatabaseUnavailableError extends Error {
  override name = "DatabaseUnavailableError";
}

function createClient(): PrismaClient {
  const url = databaseUrl();
  if (databaseKind(url) !== "sqlite") {
    throw new DatabaseUnavailableError(
      "Uplift runs on SQLite for now: set DATABASE_URL to a file: URL (PostgreSQL support is not built yet).",
    );
  }
  return new PrismaClient({ adapter: new PrismaLibSQL({ url }) });
}

declare global {
  // Reused across Vite's hot reloads in development so connections are not leaked.
  var upliftPrisma: PrismaClient | undefined;
}

const prisma: PrismaClient = globalThis.upliftPrisma ?? createClient();
if (process.env.NODE_ENV !== "production") globalThis.upliftPrisma = prisma;

/**
 * Checks once that the database opens and is migrated, and turns the driver's error into
 * one sentence a person can act on.
 */
export async function assertDatabaseReady(): Promise<void> {
  try {
    await prisma.$queryRawUnsafe('SELECT 1 FROM "Session" LIMIT 1');
  } catch (error) {
    const reason = firstLine(error) || "unknown error";
    throw new DatabaseUnavailableError(
      `Cannot open the database at ${databaseUrl()} (${reason}). Run "npm run setup" to create and migrate it.`,
    );
  }
}

/** The first non-empty line of an error or of its causes: drivers nest the useful part. */
function firstLine(error: unknown): string {
  return errorMessages(error).flatMap((m) => m.split("\n")).map((l) => l.trim()).find(Boolean) ?? "";
}

let readiness: Promise<void> | null = null;

/** assertDatabaseReady, once per process; a failure is retried on the next call. */
export function ensureDatabaseReady(): Promise<void> {
  readiness ??= assertDatabaseReady().catch((error) => {
    readiness = null;
    throw error;
  });
  return readiness;
}

export default prisma;
