// Built for Shopify's admin speed on the stand-in's embedded admin: LCP, CLS and INP from
// the web-vitals library inside the app's frame, for the dashboard, the bundle list and the
// bundle editor (INP from an interaction: a click on the dashboard's heading, opening the
// list's import dialog, opening a closed section of the editor and typing a name), and the JS and CSS each page loads, gzipped. Beside them, a
// bare page in the same browser: the floor this machine sets. Budget (p75 in the field):
// LCP ≤ 2,500 ms, CLS ≤ 0.1, INP ≤ 200 ms.
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { chromium, type Frame, type Page } from "@playwright/test";
import { ROOT, startStack } from "../../scripts/stack.ts";
import { chromiumPath, CHROMIUM_FLAGS } from "../e2e/chromium.ts";

const RUNS = 3;
const USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";
const WEB_VITALS = readFileSync(path.join(ROOT, "node_modules", "web-vitals", "dist", "web-vitals.iife.js"), "utf8");
// Every change reported (not only the final value), and every interaction counted for INP.
const COLLECT = `${WEB_VITALS};(() => {
  const v = (window.__vitals = { lcp: null, cls: 0, inp: null });
  webVitals.onLCP((m) => (v.lcp = m.value), { reportAllChanges: true });
  webVitals.onCLS((m) => (v.cls = m.value), { reportAllChanges: true });
  webVitals.onINP((m) => (v.inp = m.value), { reportAllChanges: true, durationThreshold: 0 });
})();`;

type Vitals = { lcp: number | null; cls: number; inp: number | null };
interface PageFigures { lcp_ms: number; cls: number; inp_ms: number; js_gzip_bytes: number; css_gzip_bytes: number }

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function vitals(frame: Frame): Promise<Vitals> {
  // LCP and INP are reported once the browser has painted after the load or the input.
  await frame.waitForTimeout(500);
  return frame.evaluate(() => (window as unknown as { __vitals: Vitals }).__vitals);
}

/** Loads one admin page, interacts, and returns its vitals and the gzipped JS and CSS it loaded. */
async function measure(page: Page, url: string, interact: (frame: Frame) => Promise<void>): Promise<PageFigures> {
  const bytes = { js: 0, css: 0 };
  const onResponse = async (response: import("@playwright/test").Response) => {
    const type = response.request().resourceType();
    if (type !== "script" && type !== "stylesheet") return;
    const body = await response.body().catch(() => null);
    if (body) bytes[type === "script" ? "js" : "css"] += gzipSync(body).length;
  };
  page.on("response", onResponse);
  await page.goto(url);
  const frame = page.frame({ url: /\/app(\/|\?|$)/ }) ?? (await (await page.waitForSelector("iframe#app-iframe")).contentFrame())!;
  await frame.waitForSelector("h1");
  await page.waitForLoadState("networkidle");
  await interact(frame);
  const result = await vitals(frame);
  page.off("response", onResponse);
  return { lcp_ms: Math.round(result.lcp ?? 0), cls: Number(result.cls.toFixed(4)), inp_ms: Math.round(result.inp ?? 0), js_gzip_bytes: bytes.js, css_gzip_bytes: bytes.css };
}

async function bareBaseline(page: Page): Promise<Pick<PageFigures, "lcp_ms" | "cls" | "inp_ms">> {
  const server = createServer((_req, res) => res.end("<!doctype html><html lang=en><title>bare</title><h1>A bare page</h1><p>Nothing else.</p><input aria-label=x>"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    await page.goto(`http://127.0.0.1:${(server.address() as { port: number }).port}/`);
    await page.waitForLoadState("networkidle");
    await page.waitForTimeout(300);
    await page.locator("input").focus();
    await page.keyboard.type("a");
    const result = await vitals(page.mainFrame());
    return { lcp_ms: Math.round(result.lcp ?? 0), cls: result.cls, inp_ms: Math.round(result.inp ?? 0) };
  } finally {
    server.close();
  }
}

export async function run() {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error("admin bench needs Chromium (apt-get install chromium, or CHROMIUM_PATH)");
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "uplift-bench-admin-"));
  const stack = await startStack({ dataDir, mode: "build", log: "quiet" });
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_FLAGS });
  try {
    const context = await browser.newContext({ userAgent: USER_AGENT, viewport: { width: 1280, height: 900 } });
    await context.addInitScript(COLLECT);
    const page = await context.newPage();
    // The first visit installs the app and syncs the shop; measure once that is over.
    await page.goto(stack.adminUrl);
    await page.frameLocator("iframe#app-iframe").getByText("Up to date").nth(1).waitFor({ timeout: 300_000 });

    const pages: Record<string, [string, (frame: Frame) => Promise<void>]> = {
      // The dashboard's only controls start work; a click on its heading measures the page's
      // own responsiveness without starting a sync.
      dashboard: ["", (frame) => frame.locator("h1").first().click()],
      bundle_list: ["/bundles", (frame) => frame.getByRole("button", { name: "Import" }).click()],
      bundle_editor: ["/bundles/new", async (frame) => {
        await frame.getByRole("button", { name: "Targeting" }).click();
        await frame.getByLabel("Name", { exact: true }).pressSequentially("Summer set");
      }],
    };
    const figures: Record<string, PageFigures> = {};
    for (const [name, [suffix, interact]] of Object.entries(pages)) {
      const runs: PageFigures[] = [];
      for (let i = 0; i < RUNS; i++) runs.push(await measure(page, `${stack.adminUrl}${suffix}`, interact));
      figures[name] = {
        lcp_ms: median(runs.map((r) => r.lcp_ms)), cls: median(runs.map((r) => r.cls)), inp_ms: median(runs.map((r) => r.inp_ms)),
        js_gzip_bytes: runs[0]!.js_gzip_bytes, css_gzip_bytes: runs[0]!.css_gzip_bytes,
      };
    }
    const baseline = await bareBaseline(page);
    const all = Object.values(figures);
    return {
      lcp_ms: Math.max(...all.map((f) => f.lcp_ms)),
      cls: Math.max(...all.map((f) => f.cls)),
      inp_ms: Math.max(...all.map((f) => f.inp_ms)),
      js_gzip_bytes: Math.max(...all.map((f) => f.js_gzip_bytes)),
      css_gzip_bytes: Math.max(...all.map((f) => f.css_gzip_bytes)),
      within_budget: all.every((f) => f.lcp_ms <= 2500 && f.cls <= 0.1 && f.inp_ms <= 200),
      runs_per_page: RUNS,
      pages: figures,
      baseline_bare_page: baseline,
    };
  } finally {
    await browser.close();
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
