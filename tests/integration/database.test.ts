import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";

// A database that cannot be opened gives one sentence to act on, not a driver's stack trace.
const dir = mkdtempSync(path.join(os.tmpdir(), "uplift-db-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Each case opens db.server afresh with its own DATABASE_URL.
beforeEach(() => {
  vi.resetModules();
  globalThis.upliftPrisma = undefined;
});

describe("database readiness", () => {
  it("names the database and the command that fixes it", async () => {
    const file = path.join(dir, "not-a-database.sqlite");
    writeFileSync(file, "this is not SQLite");
    process.env.DATABASE_URL = `file:${file}`;
    const { assertDatabaseReady, DatabaseUnavailableError } = await import("~/db.server");
    const error = await assertDatabaseReady().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect((error as Error).message).toMatch(/^Cannot open the database at file:.*not-a-database\.sqlite \(SQLITE_NOTADB: .+\)\. Run "npm run setup" to create and migrate it\.$/);
  });

  // Port 1 on this machine refuses connections: no PostgreSQL server is needed for this.
  const unreachable = "postgresql://uplift:s3cret@127.0.0.1:1/uplift";

  it("says the same of a PostgreSQL server it cannot reach, without the password", async () => {
    process.env.DATABASE_URL = unreachable;
    const { assertDatabaseReady, DatabaseUnavailableError } = await import("~/db.server");
    const error = await assertDatabaseReady().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect((error as Error).message).toBe(
      `Cannot open the database at postgresql://uplift:***@127.0.0.1:1/uplift (Can't reach database server at 127.0.0.1:1). Run "npm run setup" to create and migrate it.`,
    );
  });

  it("npm run setup against an unreachable PostgreSQL prints one line and fails", () => {
    const run = () => execFileSync(process.execPath, [path.resolve(__dirname, "../../scripts/db.ts"), "migrate"], {
      env: { ...process.env, DATABASE_URL: unreachable }, encoding: "utf8", stdio: "pipe",
    });
    const failure = (() => {
      try {
        run();
        return null;
      } catch (error) {
        return error as { status: number; stderr: string };
      }
    })();
    expect(failure?.status).toBe(1);
    expect(failure?.stderr.trim()).toBe("Cannot reach PostgreSQL at postgresql://uplift:***@127.0.0.1:1/uplift (connect ECONNREFUSED 127.0.0.1:1).");
  });
});

describe("migrations", () => {
  it("both folders (SQLite and PostgreSQL) produce prisma/schema.prisma", () => {
    // Fails after a schema change without `node scripts/db.ts new-migration <name>`, or after a
    // merge that brought a migration for one database only; that command then writes the rest.
    const output = execFileSync(process.execPath, [path.resolve(__dirname, "../../scripts/db.ts"), "check"], { encoding: "utf8", stdio: "pipe" });
    expect(output).toContain("Both migration folders match prisma/schema.prisma.");
  });
});
