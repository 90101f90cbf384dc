// Where the database lives. Shared by the app (db.server.ts), prisma.config.ts and the
// scripts, so the default is written once.
export const DEFAULT_DATABASE_URL = "file:./data/uplift.sqlite";

export function databaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL;
}

export type DatabaseKind = "sqlite" | "postgresql";

export function databaseKind(url: string): DatabaseKind {
  if (url.startsWith("file:") || url.startsWith("libsql:")) return "sqlite";
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) return "postgresql";
  throw new Error(
    `DATABASE_URL must start with file: (SQLite) or postgresql:, got "${url.split(":")[0]}:".`,
  );
}

/** The SQLite file a file: URL points at, for creating its folder. */
export function sqliteFile(url: string): string | null {
  return url.startsWith("file:") ? url.slice("file:".length) : null;
}
