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

/** Connection settings for node-postgres, from a postgresql: URL. */
export interface PostgresConnection {
  connectionString: string;
  /** The schema named by `?schema=` (Prisma's convention), or undefined for the default. */
  schema?: string;
  /** Startup options: `search_path` set to that schema, so raw SQL finds the tables too. */
  options?: string;
}

/**
 * Splits Prisma's `?schema=` parameter off a postgresql: URL (node-postgres does not know
 * it) and turns it into a search_path, so the client, raw queries and the migrator all
 * use the same schema.
 */
export function postgresConnection(url: string): PostgresConnection {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get("schema") ?? undefined;
  if (schema === undefined) return { connectionString: url };
  parsed.searchParams.delete("schema");
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(schema)) {
    throw new Error(`DATABASE_URL's schema must be a plain identifier (letters, digits, _), got "${schema}".`);
  }
  return { connectionString: parsed.toString(), schema, options: `-c search_path=${schema}` };
}

/** The URL with any password replaced, for messages and logs. */
export function redactedDatabaseUrl(url: string): string {
  if (databaseKind(url) !== "postgresql") return url;
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, "//***@");
  }
}
