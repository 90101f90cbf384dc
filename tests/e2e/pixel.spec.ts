import path from "node:path";
import { expect, test, type Page } from "@playwright/test";

// The web pixel as Shopify runs it: connected by the app at install, started by the
// storefront's pixels manager in a Web Worker only with the shopper's analytics consent, fed the
// standard events and what the blocks publish, and sending each event to the app once.
const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run through playwright.config.ts`);
  return value;
};
const PRODUCT = "/products/aerobook-13-laptop";

/** The app's database, read behind its back: the SQLite file, or E2E_DATABASE_URL's PostgreSQL. */
async function appRows<T>(sql: string, params: string[]): Promise<T[]> {
  const url = process.env.E2E_DATABASE_URL;
  if (url) {
    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }
  const { DatabaseSync } = await import("node:sqlite");
  const db = new DatabaseSync(path.join(env("E2E_DATA_DIR"), "uplift.sqlite"), { readOnly: true });
  try {
    return db.prepare(sql.replace(/\$\d+/g, "?")).all(...params) as T[];
  } finally {
    db.close();
  }
}

interface StoredEvent { name: string; eventId: string; offerId: string | null; variantId: string | null; orderId: string | null; amountMinor: number | null; currency: string | null }
const storedEvents = (visitor: string) =>
  appRows<StoredEvent>('SELECT "name", "eventId", "offerId", "variantId", "orderId", "amountMinor", "currency" FROM "PixelEvent" WHERE "visitorId" = $1 ORDER BY "occurredAt"', [visitor]);

async function asShopper(page: Page, visitor: string) {
  await page.context().addCookies([{ name: "_uplift_vid", value: visitor, url: env("E2E_DEVSHOP_URL") }]);
}

const publish = (page: Page, name: string, data: Record<string, string>) =>
  page.evaluate(([n, d]) => (window as unknown as { Shopify: { analytics: { publish(name: string, data: unknown): void } } }).Shopify.analytics.publish(n, d), [name, data] as const);

/** Every request the page or its workers send to the app's ingestion endpoint. */
function ingestionRequests(page: Page): string[] {
  const sent: string[] = [];
  page.context().on("request", (request) => {
    if (request.url().startsWith(`${env("E2E_APP_URL")}/pixel/events`)) sent.push(request.postData() ?? "");
  });
  return sent;
}

test.describe.configure({ mode: "serial" });

test("the install connects the pixel to the shop", async ({ page }) => {
  await page.goto(env("E2E_ADMIN_URL"));
  // The connection is a job queued with the install: the storefront carries the pixel once it ran.
  await expect.poll(async () => {
    await page.goto(env("E2E_DEVSHOP_URL") + PRODUCT);
    const setup = JSON.parse((await page.locator("#web-pixels-manager-setup").textContent()) ?? "{}") as { pixels?: { settings: Record<string, string> }[] };
    return setup.pixels?.[0]?.settings.ingestUrl ?? null;
  }, { timeout: 180_000, intervals: [2_000] }).toBe(`${env("E2E_APP_URL")}/pixel/events`);
});

test("with consent, each event reaches the app once: custom, product viewed, added to cart", async ({ page }) => {
  const visitor = `pixel-yes-${Date.now()}`;
  await asShopper(page, visitor);
  const sent = ingestionRequests(page);
  await page.goto(env("E2E_DEVSHOP_URL") + PRODUCT);
  // Not asked yet: no pixel runs.
  expect(page.workers()).toHaveLength(0);
  await page.getByRole("complementary", { name: "Cookie consent" }).getByRole("button", { name: "Accept" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Analytics cookies are allowed." })).toBeVisible();
  await expect.poll(() => page.workers().length).toBe(1);

  // A new page: the pixel loads with it and sees its product_viewed.
  await page.reload();
  await expect.poll(() => page.workers().length).toBe(1);
  await publish(page, "uplift:offer_clicked", { offer: "bundle-e2e", version: "a", arm: "offers" });
  await publish(page, "uplift:offer_viewed", { offer: "bundle-e2e", version: "a", arm: "offers" });
  await page.locator("[data-product-form]").getByRole("button").first().click();
  await expect(page.locator("#cart-drawer li")).not.toHaveCount(0);

  // The page's own blocks (the recommendations) publish views of their offers too: this test
  // follows the standard events and the offer it published.
  const ours = async () => (await storedEvents(visitor)).filter((e) => !e.name.startsWith("uplift:") || e.offerId === "bundle-e2e");
  await expect.poll(async () => (await ours()).map((e) => e.name).sort(), { timeout: 20_000 })
    .toEqual(["product_added_to_cart", "product_viewed", "uplift:offer_clicked", "uplift:offer_viewed"]);
  const stored = await ours();
  expect(stored.find((e) => e.name === "uplift:offer_clicked")?.offerId).toBe("bundle-e2e");
  expect(stored.find((e) => e.name === "product_added_to_cart")?.variantId).toMatch(/^gid:\/\/shopify\/ProductVariant\/\d+$/);
  // Once each: nothing more arrives, and no event was sent in two requests that both stored it.
  await page.waitForTimeout(3_000);
  expect(await ours()).toHaveLength(4);
  const ids = sent.flatMap((body) => (JSON.parse(body) as { events: { id: string }[] }).events.map((e) => e.id));
  expect(ids).toHaveLength((await storedEvents(visitor)).length);
  expect(new Set(ids).size).toBe(ids.length);
});

test("without consent nothing is sent, and withdrawing it stops the pixel sending", async ({ page }) => {
  const visitor = `pixel-no-${Date.now()}`;
  await asShopper(page, visitor);
  const sent = ingestionRequests(page);
  await page.goto(env("E2E_DEVSHOP_URL") + PRODUCT);
  await page.getByRole("button", { name: "Decline" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Analytics cookies are declined." })).toBeVisible();
  await page.reload();
  await publish(page, "uplift:offer_clicked", { offer: "bundle-e2e", version: "a", arm: "offers" });
  await page.locator("[data-product-form]").getByRole("button").first().click();
  await expect(page.locator("#cart-drawer li")).not.toHaveCount(0);
  await page.waitForTimeout(3_000);
  expect(page.workers()).toHaveLength(0);
  expect(sent).toEqual([]);
  expect(await storedEvents(visitor)).toEqual([]);

  // Allowed, then withdrawn on the same page: what follows the withdrawal is not sent.
  await page.getByRole("button", { name: "Accept" }).click();
  await expect.poll(() => page.workers().length).toBe(1);
  await publish(page, "uplift:offer_clicked", { offer: "before-withdrawal", version: "a", arm: "offers" });
  await expect.poll(async () => (await storedEvents(visitor)).map((e) => e.offerId), { timeout: 20_000 }).toEqual(["before-withdrawal"]);
  await page.getByRole("button", { name: "Decline" }).click();
  await publish(page, "uplift:offer_clicked", { offer: "after-withdrawal", version: "a", arm: "offers" });
  await page.waitForTimeout(3_000);
  expect((await storedEvents(visitor)).map((e) => e.offerId)).toEqual(["before-withdrawal"]);
});

test("a completed checkout reaches the app once: checkout_completed with its order, and the order itself", async ({ page }) => {
  const visitor = `pixel-order-${Date.now()}`;
  await asShopper(page, visitor);
  await page.goto(env("E2E_DEVSHOP_URL") + PRODUCT);
  await page.getByRole("complementary", { name: "Cookie consent" }).getByRole("button", { name: "Accept" }).click();
  await expect.poll(() => page.workers().length).toBe(1);
  await page.locator("[data-product-form]").getByRole("button").first().click();
  await expect(page.locator("#cart-drawer li")).not.toHaveCount(0);
  // The visitor's id and arm go into the cart's attributes, for the order to carry.
  await expect.poll(() => page.evaluate(() => fetch("/cart.js").then((r) => r.json()).then((c: { attributes: Record<string, string> }) => c.attributes._uplift_visitor))).toBe(visitor);
  const deliveriesBefore = ((await (await page.request.get(`${env("E2E_DEVSHOP_URL")}/devshop/webhooks`)).json()) as { topic: string }[]).filter((d) => d.topic === "orders/create").length;

  await page.goto(env("E2E_DEVSHOP_URL") + "/cart");
  await page.getByRole("button", { name: "Check out" }).click();
  await expect(page.getByRole("heading", { name: "Checkout", level: 1 })).toBeVisible();
  await expect(page.getByRole("row", { name: /Aerobook 13 laptop/ })).toBeVisible();
  await page.getByRole("button", { name: "Pay now" }).click();
  await expect(page.getByRole("heading", { name: "Thank you!", level: 1 })).toBeVisible();

  // The thank-you page's pixel sends checkout_completed at once, with the order Shopify made.
  const completed = async () => (await storedEvents(visitor)).filter((e) => e.name === "checkout_completed");
  await expect.poll(async () => (await completed()).length, { timeout: 20_000 }).toBe(1);
  const [event] = await completed();
  expect(event!.orderId).toMatch(/^gid:\/\/shopify\/Order\/\d+$/);
  expect(event!.currency).toBe("EUR");
  // orders/create went to the app once, and it stored the same order, at the same total.
  const deliveries = ((await (await page.request.get(`${env("E2E_DEVSHOP_URL")}/devshop/webhooks`)).json()) as { topic: string; status: string }[]).filter((d) => d.topic === "orders/create");
  expect(deliveries).toHaveLength(deliveriesBefore + 1);
  await expect.poll(async () => (await appRows<{ totalMinor: number }>('SELECT "totalMinor" FROM "Order" WHERE "id" = $1', [event!.orderId!])).map((o) => o.totalMinor), { timeout: 20_000 })
    .toEqual([event!.amountMinor]);

  // A reload of the thank-you page sends nothing more. (Across these page changes a batch cut
  // off by a navigation is sent again from the next page, by design: the app stores it once.)
  await page.reload();
  await page.waitForTimeout(3_000);
  expect(await completed()).toHaveLength(1);
});
