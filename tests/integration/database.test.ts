import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// A database that cannot be opened gives one sentence to act on, not a driver's stack trace.
const dir = mkdtempSync(path.join(os.tmpdir(), "uplift-db-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("database readiness", () => {
  it("names the database and the command that fixes it", async () => {
    const file = path.join(dir, "not-a-database.sqlite");
    writeFileSync(file, "this is not SQLite");
    process.env.DATABASE_URL = `file:${file}`;
    const { assertDatabaseReady, DatabaseUnavailableError } = await import("~/db.server");
    const error = await assertDatabaseReady().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect((error as Error).message).toMatch(/^Cannot open the database at file:.*not-a-database\.sqlite \(.+\)\. Run "npm run setup" to create and migrate it\.$/);
  });
});
