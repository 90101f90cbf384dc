// Starts the whole thing on this machine: the local Shopify stand-in (tests/devshop) and
// the Uplift app against it. Used by `npm run demo` and by the browser tests.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Dev-only credentials shared by the app and the stand-in; never a real app's. */
export const DEV_APP = {
  apiKey: "uplift-dev-key",
  apiSecret: "uplift-dev-secret",
  shop: "uplift-demo.myshopify.com",
  storeName: "uplift-demo",
  appHandle: "uplift",
} as const;

export interface StackOptions {
  dataDir: string;
  appPort?: number;
  devshopPort?: number;
  /** "build" serves the production build (built first when stale); "dev" runs Vite. */
  mode?: "build" | "dev";
  /** Where the children's output goes. */
  log?: "inherit" | "quiet";
  extraEnv?: Record<string, string>;
  /** The app's database: a SQLite file in dataDir unless given (a postgresql: URL works too). */
  databaseUrl?: string;
}

export interface Stack {
  appUrl: string;
  devshopUrl: string;
  adminUrl: string;
  storefrontUrl: string;
  /** The app's database. */
  databaseUrl: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** True when build/ is missing or older than anything it is built from. */
export function buildIsStale(): boolean {
  const built = path.join(ROOT, "build", "server", "index.js");
  if (!existsSync(built)) return true;
  const sources = Math.max(
    newestMtime(path.join(ROOT, "app")),
    statSync(path.join(ROOT, "vite.config.ts")).mtimeMs,
    statSync(path.join(ROOT, "package-lock.json")).mtimeMs,
  );
  return sources > statSync(built).mtimeMs;
}

export function run(command: string, args: string[], env: Record<string, string | undefined> = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: "inherit", env: { ...process.env, ...env } });
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} exited with ${code}`)),
    );
  });
}

const node = process.execPath;
const bin = (pkg: string, file: string) => path.join(ROOT, "node_modules", pkg, file);

export async function buildApp(): Promise<void> {
  await run(node, [bin("@remix-run/dev", "dist/cli.js"), "vite:build"], { NODE_ENV: "production" });
}

async function waitForHttp(url: string, child: ChildProcess, name: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited (code ${child.exitCode}) before it was ready`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(2000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`${name} did not answer at ${url} within ${timeoutMs / 1000} s`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const dataDir = path.resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const appPort = options.appPort ?? (await freePort());
  const devshopPort = options.devshopPort ?? (await freePort());
  const appUrl = `http://localhost:${appPort}`;
  const devshopUrl = `http://localhost:${devshopPort}`;
  const stdio = options.log === "quiet" ? "ignore" : "inherit";
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SHOPIFY_API_KEY: DEV_APP.apiKey,
    SHOPIFY_API_SECRET: DEV_APP.apiSecret,
    SHOPIFY_APP_URL: appUrl,
    DEVSHOP_URL: devshopUrl,
    DEVSHOP_PORT: String(devshopPort),
    DEVSHOP_DATA: path.join(dataDir, "devshop"),
    DEVSHOP_SHOP: DEV_APP.shop,
    DATABASE_URL: options.databaseUrl ?? `file:${path.join(dataDir, "uplift.sqlite")}`,
    APP_BRIDGE_URL: `${devshopUrl}/cdn/shopifycloud/app-bridge.js`,
    EXTRA_FRAME_ANCESTORS: devshopUrl,
    PORT: String(appPort),
    ...options.extraEnv,
  };

  await run(node, [path.join(ROOT, "scripts", "db.ts"), "migrate"], { DATABASE_URL: env.DATABASE_URL });

  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(children.map(stopChild));
  };
  try {
    const devshop = spawn(node, [path.join(ROOT, "tests", "devshop", "cli.ts")], { cwd: ROOT, env, stdio });
    children.push(devshop);
    await waitForHttp(`${devshopUrl}/`, devshop, "the Shopify stand-in");

    const routing = ["--import", "./tests/devshop/route-to-devshop.ts"];
    const mode = options.mode ?? "build";
    if (mode === "build" && buildIsStale()) await buildApp();
    const appArgs =
      mode === "build"
        ? [...routing, bin("@remix-run/serve", "dist/cli.js"), "./build/server/index.js"]
        : [...routing, bin("@remix-run/dev", "dist/cli.js"), "vite:dev", "--port", String(appPort)];
    const app = spawn(node, appArgs, {
      cwd: ROOT,
      env: { ...env, NODE_ENV: mode === "build" ? "production" : "development" },
      stdio,
    });
    children.push(app);
    await waitForHttp(`${appUrl}/`, app, "the Uplift app");
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    appUrl,
    devshopUrl,
    adminUrl: `${devshopUrl}/store/${DEV_APP.storeName}/apps/${DEV_APP.appHandle}`,
    storefrontUrl: `${devshopUrl}/`,
    databaseUrl: env.DATABASE_URL!,
    stop,
  };
}
