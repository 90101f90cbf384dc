import path from "node:path";
import { expect, test } from "@playwright/test";
import { openStore } from "../devshop/store.ts";

// As a merchant: open Suggestions, read why each pair is suggested, and turn one into a
// bundle in one click.

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run through playwright.config.ts`);
  return value;
}

test("a learned suggestion becomes a draft bundle in one click", async ({ page }) => {
  // The stand-in's admin opens the app at /app/suggestions; a first visit installs the app,
  // and the page watches the order backfill and the learning that follows it.
  await page.goto(`${env("E2E_ADMIN_URL")}/suggestions`);
  const frame = page.frameLocator("iframe#app-iframe");
  await expect(frame.getByRole("heading", { name: "Suggestions", level: 1 })).toBeVisible();
  await expect(frame.getByTestId("suggestions-freshness")).toHaveText(/^Learned from [\d,]+ orders, updated /, { timeout: 120_000 });
  await expect(frame.getByText(/bought together in [\d,]+ orders, \d+\.\d× more often than chance/).first()).toBeVisible();
  await expect(frame.getByText("64 GB (", { exact: false }).first()).toBeVisible();
  await expect(frame.getByText(/typically every \d+ days/).first()).toBeVisible();

  // The first suggestion: its product and its best complement, as the page shows them.
  const first = frame.getByTestId("together-suggestion").first();
  const anchor = (await first.locator("h3").textContent())!;
  const complement = (await first.getByTestId("complement-title").first().textContent())!;
  const added = await first.getByTestId("complement-title").count();
  await frame.getByRole("button", { name: `Create bundle with ${anchor}` }).click();

  // The app navigates inside its frame, to the new bundle's editor.
  await expect.poll(() => page.frames().some((f) => /\/app\/bundles\/[^/?]+/.test(f.url())), { timeout: 30_000 }).toBe(true);
  await expect(frame.getByText(`Main product: ${anchor}`)).toBeVisible();
  await expect(frame.getByText(complement).first()).toBeVisible();
  // Named for its product and how many go with it, never a cut-off list of titles.
  await expect(frame.getByLabel("Name")).toHaveValue(`${anchor} + ${added} add-on${added === 1 ? "" : "s"}`);
});

test("an order placed in Shopify reaches the suggestions by webhook", async ({ page, request }) => {
  await page.goto(`${env("E2E_ADMIN_URL")}/suggestions`);
  const freshness = page.frameLocator("iframe#app-iframe").getByTestId("suggestions-freshness");
  await expect(freshness).toHaveText(/^Learned from [\d,]+ orders/, { timeout: 120_000 });
  const learnedFrom = async () => Number((await freshness.textContent())!.match(/from ([\d,]+) orders/)![1]!.replace(/,/g, ""));
  const before = await learnedFrom();

  const devshop = env("E2E_DEVSHOP_URL");
  const store = openStore(path.join(env("E2E_DATA_DIR"), "devshop", "devshop.sqlite"));
  const phone = [...store.products.values()].find((p) => p.title === "Nimbus 9 smartphone")!;
  store.close();
  const created = await request.post(`${devshop}/devshop/orders`, { data: { lines: [{ variantId: phone.variants.at(-1)!.id }] } });
  expect(created.ok()).toBe(true);
  const [deliveryId] = (await created.json()).deliveries as number[];
  const delivery = async () => ((await (await request.get(`${devshop}/devshop/webhooks`)).json()) as { id: number; status: string; topic: string }[]).find((d) => d.id === deliveryId);
  await expect.poll(async () => (await delivery())?.status).toBe("delivered");
  expect((await delivery())?.topic).toBe("orders/create");

  await page.reload();
  await expect.poll(learnedFrom).toBe(before + 1);
});
