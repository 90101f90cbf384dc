// PostgreSQL for the integration tests: the project's machines run it at 127.0.0.1:5432
// (trust auth, database `test`); TEST_POSTGRES_URL points elsewhere. Each run works in its
// own throwaway database, created here and dropped afterwards.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { errorMessages } from "~/errors";

export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

/** Why PostgreSQL cannot be used, or null when it can. */
export async function postgresUnavailable(url = TEST_POSTGRES_URL): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("SELECT 1");
    return null;
  } catch (error) {
    return errorMessages(error)[0] ?? (error as { code?: string }).code ?? String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** A URL for a database of its own (not created yet: `npm run setup` creates it). */
export function throwawayDatabaseUrl(): { name: string; url: string } {
  const name = `uplift_test_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

export async function dropDatabase(name: string): Promise<void> {
  await admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** Runs SQL on the database at `url` (for looking behind the app's back). */
export async function sql<R extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** Holds an advisory lock on its own connection until released. */
export async function holdAdvisoryLock(url: string, key: number): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("SELECT pg_advisory_lock($1)", [key]);
  return async () => {
    await client.query("SELECT pg_advisory_unlock($1)", [key]);
    await client.end();
  };
}
