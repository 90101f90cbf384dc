import { defineConfig } from "@playwright/test";
import { chromiumPath, CHROMIUM_FLAGS } from "./tests/e2e/chromium.ts";

// Browser tests: the real app against the local Shopify stand-in, in Debian's Chromium.
export default defineConfig({
  testDir: "tests/e2e",
  testMatch: "**/*.spec.ts",
  globalSetup: "./tests/e2e/global-setup.ts",
  timeout: 120_000,
  expect: { timeout: 30_000 },
  workers: 1,
  retries: 0,
  reporter: [["list"], ["json", { outputFile: "test-results/e2e.json" }]],
  use: {
    headless: true,
    // Shopify's library answers bots (HeadlessChrome included) with 410: look like a browser.
    userAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36",
    viewport: { width: 1280, height: 900 },
    launchOptions: { executablePath: chromiumPath() ?? undefined, args: CHROMIUM_FLAGS },
    trace: "retain-on-failure",
  },
});
