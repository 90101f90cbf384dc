// The install, as a newcomer meets it: on an old Node, npm refuses before it fetches anything,
// with the engines message as the first thing printed; on ours, the committed lock is exactly
// the one npm writes, so an install leaves a fresh clone clean. (That `npm ci` then `npm test`
// leave git status clean is checked by .ci/run on its clean clone, where both run anyway.)
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = process.cwd();
const SYSTEM_NODE = "/usr/bin/node";
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The files npm reads to install: manifests, lock, .npmrc, and the preinstall check. */
function projectCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "uplift-install-"));
  dirs.push(dir);
  for (const file of ["package.json", "package-lock.json", ".npmrc", "scripts/check-node.cjs"]) cpSync(join(root, file), join(dir, file));
  for (const ext of readdirSync(join(root, "extensions"))) {
    if (existsSync(join(root, "extensions", ext, "package.json"))) cpSync(join(root, "extensions", ext, "package.json"), join(dir, "extensions", ext, "package.json"));
  }
  return dir;
}

const systemNodeMajor = async () => {
  if (!existsSync(SYSTEM_NODE)) return null;
  const { stdout } = await run(SYSTEM_NODE, ["-p", "process.versions.node.split('.')[0]"]);
  return Number(stdout.trim());
};

describe("install", () => {
  it("on Node 20, npm install stops at once with the engines error first, before fetching a package", async (ctx) => {
    const major = await systemNodeMajor();
    if (major === null || major >= 22) return ctx.skip(`needs an old system Node at ${SYSTEM_NODE} (found ${major ?? "none"})`);
    const dir = projectCopy();
    const started = Date.now();
    const result = await run("npm", ["install", "--no-audit", "--no-fund"], { cwd: dir, env: { ...process.env, PATH: "/usr/bin:/bin" } }).then(
      () => ({ code: 0, stderr: "" }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(result.code).not.toBe(0);
    const lines = result.stderr.split("\n").filter(Boolean);
    // npm 10.9+ and 11 check devEngines before anything; older npm fall back on engine-strict.
    expect(lines[0]).toMatch(/EBADDEVENGINES|EBADENGINE/);
    expect(result.stderr).toMatch(/>=22\.18/);
    expect(result.stderr).not.toMatch(/ERESOLVE|npm warn/);
    expect(existsSync(join(dir, "node_modules"))).toBe(false);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it("the preinstall check tells a Node 20 user what to do, for package managers that skip npm's checks", async (ctx) => {
    const major = await systemNodeMajor();
    if (major === null || major >= 22) return ctx.skip(`needs an old system Node at ${SYSTEM_NODE} (found ${major ?? "none"})`);
    const failed = await run(SYSTEM_NODE, [join(root, "scripts/check-node.cjs")]).then(() => null, (error: { code: number; stderr: string }) => error);
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toMatch(/Uplift needs Node 22\.18 or newer \(you have 20\./);
    expect(failed?.stderr).toMatch(/nvm install/);
    await expect(run(process.execPath, [join(root, "scripts/check-node.cjs")])).resolves.toBeTruthy();
  });

  it("the committed lock is the one npm writes, without ERESOLVE warnings", { timeout: 120_000 }, async () => {
    const dir = projectCopy();
    const { stderr } = await run("npm", ["install", "--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund"], { cwd: dir });
    expect(stderr).not.toMatch(/ERESOLVE|npm warn/);
    expect(readFileSync(join(dir, "package-lock.json"), "utf8")).toBe(readFileSync(join(root, "package-lock.json"), "utf8"));
  });
});
