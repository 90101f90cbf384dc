import path from "node:path";
import { expect, test, type FrameLocator, type Page } from "@playwright/test";
import { openStore } from "../devshop/store.ts";

// As a merchant: open the app from the (stand-in) Shopify admin, watch the first sync
// finish with the shop's real figures, change settings, reload, and find them kept.

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run through playwright.config.ts`);
  return value;
}

const app = (page: Page): FrameLocator => page.frameLocator("iframe#app-iframe");
const format = (n: number) => new Intl.NumberFormat("en").format(n);

function shopFigures() {
  const store = openStore(path.join(env("E2E_DATA_DIR"), "devshop", "devshop.sqlite"));
  try {
    return {
      products: store.products.size,
      variants: [...store.products.values()].reduce((n, p) => n + p.variants.length, 0),
      collections: store.collections.size,
      orders: store.orders.size,
    };
  } finally {
    store.close();
  }
}

test("the dashboard shows the synced shop's real figures", async ({ page }) => {
  const figures = shopFigures();
  await page.goto(env("E2E_ADMIN_URL"));
  const frame = app(page);
  await expect(frame.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();
  await expect(frame.getByTestId("products-count")).toHaveText(format(figures.products), { timeout: 120_000 });
  await expect(frame.getByTestId("variants-count")).toHaveText(format(figures.variants));
  await expect(frame.getByTestId("collections-count")).toHaveText(format(figures.collections));
  await expect(frame.getByTestId("orders-count")).toHaveText(format(figures.orders), { timeout: 120_000 });
  await expect(frame.getByText("Up to date")).toHaveCount(2);
  // What to do first: the catalog is synced, the first offer is still to make.
  await expect(frame.getByTestId("onboarding-catalog")).toContainText("Done");
  await expect(frame.getByTestId("onboarding-offer")).toContainText("To do");
  await expect(frame.getByTestId("onboarding-offer").getByRole("link", { name: "See suggestions" })).toBeVisible();
  await expect(frame.getByRole("img", { name: /Orders per month/ })).toBeVisible();
  // The admin's navigation comes from the app's ui-nav-menu.
  await expect(page.getByRole("navigation", { name: "Uplift" }).getByRole("link")).toHaveText(
    ["Dashboard", "Bundles", "Upgrades", "Post-purchase", "Deal of the day", "Suggestions", "Insights", "Settings", "Privacy"],
  );
});

test("settings are validated, saved and kept after a reload", async ({ page }) => {
  await page.goto(env("E2E_ADMIN_URL"));
  await page.getByRole("navigation", { name: "Uplift" }).getByRole("link", { name: "Settings" }).click();
  const frame = app(page);
  await expect(frame.getByRole("heading", { name: "Settings", level: 1 })).toBeVisible();

  const threshold = frame.getByLabel("Free shipping from (EUR)");
  const holdout = frame.getByLabel("Holdout share (%)");
  await threshold.fill("49.90");
  await holdout.fill("80");
  await frame.getByRole("button", { name: "Save" }).first().click();
  await expect(frame.getByText("Enter a whole number from 0 to 50.")).toBeVisible();

  await holdout.fill("10");
  await frame.getByLabel("Offers per shopper per day").fill("4");
  await frame.getByLabel("French").check();
  await frame.getByRole("button", { name: "Save" }).first().click();
  await expect(page.getByRole("status").filter({ hasText: "Settings saved" })).toBeVisible();

  await page.reload();
  const reloaded = app(page);
  await expect(reloaded.getByLabel("Free shipping from (EUR)")).toHaveValue("49.90");
  await expect(reloaded.getByLabel("Holdout share (%)")).toHaveValue("10");
  await expect(reloaded.getByLabel("Offers per shopper per day")).toHaveValue("4");
  await expect(reloaded.getByLabel("French")).toBeChecked();
  await expect(reloaded.getByLabel("English")).toBeChecked();
});

test("the admin speaks the merchant's language", async ({ page }) => {
  await page.goto(`${env("E2E_ADMIN_URL")}?locale=fr`);
  await expect(app(page).getByRole("heading", { name: "Tableau de bord", level: 1 })).toBeVisible();
});

test("a product edited in Shopify reaches the app by webhook, once per delivery", async ({ request }) => {
  const devshop = env("E2E_DEVSHOP_URL");
  const store = openStore(path.join(env("E2E_DATA_DIR"), "devshop", "devshop.sqlite"));
  const product = [...store.products.values()][0]!;
  store.close();
  const edit = await request.post(`${devshop}/devshop/products/${product.id}`, { data: { title: "Nimbus 8 (2026 edition)" } });
  const [deliveryId] = (await edit.json()).deliveries as number[];

  const delivery = async () => ((await (await request.get(`${devshop}/devshop/webhooks`)).json()) as { id: number; status: string; attempts: number }[]).find((d) => d.id === deliveryId);
  await expect.poll(async () => (await delivery())?.status).toBe("delivered");
  const appDb = await openAppDatabase();
  try {
    // The webhook is answered once its work is queued; the job then updates the mirror.
    const title = async () => (await appDb.query<{ title: string }>('SELECT title FROM "Product" WHERE id = $1', [`gid://shopify/Product/${product.id}`]))[0]?.title;
    await expect.poll(title).toBe("Nimbus 8 (2026 edition)");

    // Shopify's duplicate delivery: same webhook id, accepted, not processed again.
    const receipts = async () => Number((await appDb.query<{ n: number }>('SELECT COUNT(*) AS n FROM "WebhookReceipt"'))[0]?.n);
    const before = await receipts();
    expect((await request.post(`${devshop}/devshop/webhooks/${deliveryId}/redeliver`)).ok()).toBe(true);
    await expect.poll(async () => (await delivery())?.attempts).toBe(2);
    expect((await delivery())?.status).toBe("delivered");
    expect(await receipts()).toBe(before);
  } finally {
    await appDb.close();
  }
});

/** The app's database, read behind its back: the SQLite file, or E2E_DATABASE_URL's PostgreSQL. */
async function openAppDatabase(): Promise<{ query<R>(sql: string, params?: string[]): Promise<R[]>; close(): Promise<void> }> {
  const url = process.env.E2E_DATABASE_URL;
  if (url) {
    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return { query: async (sql, params = []) => (await client.query(sql, params)).rows, close: () => client.end() };
  }
  const { DatabaseSync } = await import("node:sqlite");
  const db = new DatabaseSync(path.join(env("E2E_DATA_DIR"), "uplift.sqlite"), { readOnly: true });
  return {
    // PostgreSQL's $1 is SQLite's ?1.
    query: async <R>(sql: string, params: string[] = []) => db.prepare(sql.replace(/\$(\d+)/g, "?$1")).all(...params) as R[],
    close: async () => db.close(),
  };
}
