import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startStack } from "../../scripts/stack.ts";

// One stack for the whole browser run: a fresh data folder (and SQLite database), the
// stand-in seeded, the app built and served. Tests read the URLs from the environment.
export default async function globalSetup() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "uplift-e2e-"));
  // E2E_DATABASE_URL runs the app on another database (e.g. a fresh PostgreSQL database).
  const databaseUrl = process.env.E2E_DATABASE_URL || undefined;
  const stack = await startStack({ dataDir, mode: "build", log: process.env.E2E_LOG ? "inherit" : "quiet", databaseUrl });
  process.env.E2E_ADMIN_URL = stack.adminUrl;
  process.env.E2E_APP_URL = stack.appUrl;
  process.env.E2E_DEVSHOP_URL = stack.devshopUrl;
  process.env.E2E_DATA_DIR = dataDir;
  // The app's own database, for tests that check what the admin does not show (e.g. an order's amounts).
  process.env.E2E_APP_DATABASE_URL = stack.databaseUrl;
  return async () => {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
