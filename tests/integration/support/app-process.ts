// The built app as its own process (remix-serve, as in production), for tests that kill it:
// `kill9()` is SIGKILL, no cleanup, as a crash or an OOM kill would be. Needs `npm run build`
// (npm test builds first).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, openSync } from "node:fs";
import path from "node:path";
import { freePort } from "../../../scripts/stack.ts";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const SERVER = path.join(ROOT, "build", "server", "index.js");

export interface AppProcess {
  url: string;
  /** Starts (or starts again) the app; resolves once it answers. */
  start(extraEnv?: Record<string, string>): Promise<void>;
  kill9(): Promise<void>;
  stop(): Promise<void>;
  /** The running process's id, or null. */
  pid(): number | null;
}

/** `log`: a file the app's output is appended to (APP_LOG=1 shows it instead). */
export async function appProcess(env: Record<string, string>, port?: number, options: { log?: string } = {}): Promise<AppProcess> {
  if (!existsSync(SERVER)) throw new Error("The app is not built: run `npm run build` (npm test builds before the tests).");
  const appPort = port ?? (await freePort());
  const url = `http://localhost:${appPort}`;
  let child: ChildProcess | null = null;
  const exited = (c: ChildProcess) => new Promise<void>((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve() : c.once("exit", () => resolve())));
  return {
    url,
    async start(extraEnv = {}) {
      const c = spawn(process.execPath, ["--import", "./tests/devshop/route-to-devshop.ts", path.join(ROOT, "node_modules", "@remix-run", "serve", "dist", "cli.js"), SERVER], {
        cwd: ROOT, stdio: process.env.APP_LOG ? "inherit" : options.log ? ["ignore", openSync(options.log, "a"), openSync(options.log, "a")] : "ignore",
        env: { ...process.env, ...env, ...extraEnv, NODE_ENV: "production", PORT: String(appPort), SHOPIFY_APP_URL: url },
      });
      child = c;
      for (let i = 0; i < 300; i++) {
        if (c.exitCode !== null) throw new Error(`The app exited with ${c.exitCode} while starting`);
        try {
          await fetch(`${url}/`, { signal: AbortSignal.timeout(1000) });
          return;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      throw new Error("The app did not start within 30 s");
    },
    async kill9() {
      if (!child) return;
      const c = child;
      c.kill("SIGKILL");
      await exited(c);
      child = null;
    },
    pid: () => child?.pid ?? null,
    async stop() {
      if (!child) return;
      const c = child;
      // remix-serve closes its server on SIGTERM; open database pools may keep it up a while.
      const kill = setTimeout(() => c.kill("SIGKILL"), 5_000);
      c.kill("SIGTERM");
      await exited(c);
      clearTimeout(kill);
      child = null;
    },
  };
}
