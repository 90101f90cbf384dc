// Integration tests run the app's real modules against the real stand-in over HTTP, with a
// real SQLite (or, given its URL, PostgreSQL) database. Import app modules only after startHarness(): shopify.server.ts
// reads its configuration when it is first imported.
import { execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startDevshop, type Devshop } from "../../devshop/server.ts";
import { installDevshopRouting } from "../../devshop/route-to-devshop.ts";
import { mintSessionToken, type SessionTokenClaims } from "../../devshop/session-token.ts";

export const API_KEY = "uplift-test-key";
export const API_SECRET = "uplift-test-secret";
export const SHOP = "uplift-demo.myshopify.com";
export const APP_URL = "http://localhost:8170";
const ROOT = path.resolve(__dirname, "../../..");

export interface Harness {
  devshop: Devshop;
  /** A session token for SHOP, or for `overrides.shop`. */
  sessionToken(overrides?: Partial<SessionTokenClaims>): Promise<string>;
  /** Runs every due job to its end, as the app's worker would (the jobs they enqueue too). */
  runJobs(): Promise<number>;
  close(): Promise<void>;
}

export async function startHarness(options: {
  throttle?: { maximumAvailable: number; restoreRate: number };
  /** Shops besides SHOP in the stand-in, each seeded as a small shop (e.g. SECOND_SHOP). */
  otherShops?: string[];
  /** The app's database; a fresh SQLite file when not given. Migrated as `npm run setup` does. */
  databaseUrl?: string;
} = {}): Promise<Harness> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "uplift-it-"));
  const databaseUrl = options.databaseUrl ?? `file:${path.join(dir, "app.sqlite")}`;
  Object.assign(process.env, { SHOPIFY_API_KEY: API_KEY, SHOPIFY_API_SECRET: API_SECRET, SHOPIFY_APP_URL: APP_URL, DATABASE_URL: databaseUrl });
  execFileSync(process.execPath, [path.join(ROOT, "scripts", "db.ts"), "migrate"], { env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: "pipe" });
  const devshop = await startDevshop({
    dataDir: path.join(dir, "devshop"), shop: SHOP, apiKey: API_KEY, apiSecret: API_SECRET, appUrl: APP_URL,
    throttle: options.throttle, webhookRetryDelaysMs: [], otherShops: options.otherShops,
  });
  installDevshopRouting(devshop.url);
  return {
    devshop,
    sessionToken: (overrides = {}) => mintSessionToken({ shop: SHOP, apiKey: API_KEY, apiSecret: API_SECRET, ...overrides }),
    runJobs: async () => (await import("~/jobs/worker.server")).runDueJobs(),
    async close() {
      await devshop.close();
      // Syncs the app started in the background fail fast once the shop is gone; let them
      // record that before their database is removed.
      const prisma = (await import("~/db.server")).default;
      for (let i = 0; i < 100 && (await prisma.syncRun.count({ where: { status: "running" } })) > 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await (await import("~/jobs/pgboss.server")).stopBoss();
      await prisma.$disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A webhook request signed as Shopify signs it (or not, for the forged cases). */
export function webhookRequest(route: string, topic: string, payload: unknown, options: { webhookId?: string; secret?: string | null; shop?: string } = {}): Request {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "X-Shopify-Topic": topic,
    "X-Shopify-Shop-Domain": options.shop ?? SHOP,
    "X-Shopify-API-Version": "2026-10",
    "X-Shopify-Webhook-Id": options.webhookId ?? crypto.randomUUID(),
    "X-Shopify-Triggered-At": new Date().toISOString(),
    "X-Shopify-Event-Id": crypto.randomUUID(),
  };
  if (options.secret !== null) headers["X-Shopify-Hmac-Sha256"] = createHmac("sha256", options.secret ?? API_SECRET).update(body).digest("base64");
  return new Request(`${APP_URL}${route}`, { method: "POST", headers, body });
}

/** A browser's user agent: the library turns bots away with 410. */
export const BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";

/** Resolves a Remix loader/action's outcome, thrown or returned, to a Response. */
export async function outcome(run: () => Promise<unknown>): Promise<Response> {
  try {
    const value = await run();
    return value instanceof Response ? value : Response.json(value);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
