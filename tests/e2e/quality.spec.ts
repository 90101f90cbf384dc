import { readdirSync, readFileSync } from "node:fs";
import { AxeBuilder } from "@axe-core/playwright";
import { expect, test, type FrameLocator, type Locator, type Page } from "@playwright/test";

// What a merchant comparing apps notices: every admin page usable with assistive technology
// and from the keyboard alone, and nothing fetched from outside this machine in the demo.

const adminUrl = () => {
  const url = process.env.E2E_ADMIN_URL;
  if (!url) throw new Error("E2E_ADMIN_URL is not set: run through playwright.config.ts");
  return url;
};
const app = (page: Page): FrameLocator => page.frameLocator("iframe#app-iframe");

/** Presses Tab (Shift+Tab with `back`) until the element has the keyboard focus. */
async function tabTo(page: Page, target: Locator, back = false) {
  for (let i = 0; i < 80; i++) {
    if (await target.evaluate((el) => el.ownerDocument.activeElement === el && el.ownerDocument.hasFocus()).catch(() => false)) return;
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
  }
  await expect(target).toBeFocused();
}

/**
 * Every admin page: each route file under app/routes that renders a page (a default export),
 * "/bundles/new" for "$id", so a page added later is checked without anyone listing it.
 */
const PAGES = readdirSync("app/routes")
  .filter((file) => file.startsWith("app.") && file !== "app.tsx" && /^export default /m.test(readFileSync(`app/routes/${file}`, "utf8")))
  .map((file) => file.replace(/^app\./, "").replace(/\.tsx$/, "").split(".").filter((segment) => segment !== "_index").map((segment) => (segment === "$id" ? "new" : segment)))
  .map((segments) => (segments.length ? `/${segments.join("/")}` : ""))
  .sort();

test("the axe list holds every admin page, the Privacy page included", () => {
  expect(PAGES).toEqual(expect.arrayContaining(["", "/bundles", "/bundles/new", "/privacy", "/settings", "/suggestions", "/insights"]));
  expect(PAGES).toHaveLength(12);
});

for (const path of PAGES) {
  test(`axe finds no violations on /app${path}`, async ({ page }) => {
    const outside: string[] = [];
    page.on("request", (request) => {
      const host = new URL(request.url()).hostname;
      if (!["127.0.0.1", "localhost"].includes(host) && !request.url().startsWith("data:")) outside.push(request.url());
    });
    await page.goto(`${adminUrl()}${path}`);
    await expect(app(page).locator("h1").first()).toBeVisible();
    await page.waitForLoadState("networkidle");
    const results = await new AxeBuilder({ page }).include("iframe#app-iframe").analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
    expect(outside).toEqual([]);
  });
}

test("a bundle is created from start to finish with the keyboard alone", async ({ page }) => {
  await page.goto(adminUrl());
  const frame = app(page);
  await expect(frame.getByText("Up to date").first()).toBeVisible({ timeout: 120_000 });
  await page.waitForLoadState("networkidle");

  await tabTo(page, page.getByRole("navigation", { name: "Uplift" }).getByRole("link", { name: "Bundles" }));
  await page.keyboard.press("Enter");
  await expect(frame.getByRole("heading", { name: "Bundles", level: 1 })).toBeVisible();
  await page.waitForLoadState("networkidle");
  await tabTo(page, frame.getByRole("link", { name: "Create bundle" }).first());
  await page.keyboard.press("Enter");

  const name = frame.getByLabel("Name", { exact: true });
  await expect(name).toBeVisible();
  await tabTo(page, name);
  await page.keyboard.type("Keyboard bundle");
  for (const [label, search, product] of [
    ["Main product", "vireo one max sm", "Vireo One Max smartphone"],
    ["Add a companion product", "vireo one max sil", "Vireo One Max silicone case"],
  ] as const) {
    await tabTo(page, frame.getByLabel(label, { exact: true }));
    await page.keyboard.type(search);
    await expect(frame.getByRole("option").filter({ hasText: product }).first()).toBeVisible();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
  }
  await tabTo(page, frame.getByLabel("Title", { exact: true }));
  await page.keyboard.type("Complete the set");
  // Back up to the page's primary action, as a keyboard user would after the last field.
  await tabTo(page, frame.getByRole("button", { name: "Save", exact: true }).first(), true);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status").filter({ hasText: "Offer saved" })).toBeVisible();
  await expect(frame.getByRole("heading", { name: "Keyboard bundle", level: 1 })).toBeVisible();
});

test("axe finds no violations in an editor with every section and the calendar open", async ({ page }) => {
  await page.goto(`${adminUrl()}/bundles/new`);
  const frame = app(page);
  await expect(frame.locator("h1").first()).toBeVisible();
  await page.waitForLoadState("networkidle");
  for (const section of ["Targeting", "Schedule and priority", "A/B test"]) await frame.getByRole("button", { name: section }).click();
  await frame.getByLabel("Starts", { exact: true }).click();
  await expect(frame.getByRole("button", { name: /Show next month/ })).toBeVisible();
  const results = await new AxeBuilder({ page }).include("iframe#app-iframe").analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
});
