import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { inHoldout } from "../../app/offers/assignment.ts";
import { DEV_APP } from "../../scripts/stack.ts";
import { mintSessionToken } from "../devshop/session-token.ts";

// As a merchant: a mix-and-match set, a printer set offered in the cart (leaving out what a
// customer bought before) and a storage ladder, imported in the admin. As shoppers on the
// stand-in's storefront: pick within the set's rules and add it; add the cart offer from the
// cart drawer and watch the offers and the free-shipping bar follow; switch a cart line to
// the next rung in one click; log in and not be offered what one already bought.
const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run through playwright.config.ts`);
  return value;
};
const shopUrl = (path: string) => env("E2E_DEVSHOP_URL") + path;

interface ProductJson { id: number; title: string; variants: { id: number; title: string; price: number; available: boolean }[] }
const productJson = async (request: APIRequestContext, handle: string): Promise<ProductJson> => (await request.get(shopUrl(`/products/${handle}.js`))).json();
const P = (id: number) => `gid://shopify/Product/${id}`;
const V = (id: number) => `gid://shopify/ProductVariant/${id}`;
const none = { productIds: [], variantIds: [], collectionIds: [], tags: [], vendors: [], productTypes: [] };
const targeting = (excludePurchased: boolean) => ({ placements: ["product", "cart"], products: none, subtotal: {}, customerTags: { include: [], exclude: [] }, customerType: "any", currencies: [], markets: [], excludePurchased });
const offersFile = (offers: object[]) => JSON.stringify({ format: "uplift-offers", version: 1, exportedAt: new Date().toISOString(), offers });
const common = { status: "active", priority: 70, schedule: { startsAt: null, endsAt: null } };

const visitor = () => {
  for (let i = 0; ; i++) if (!inHoldout(`cart-e2e-${i}`, 500)) return `cart-e2e-${i}`;
};
async function asShopper(page: Page) {
  await page.context().addCookies([{ name: "_uplift_vid", value: visitor(), url: env("E2E_DEVSHOP_URL") }]);
  // The standard cart events, as an app listening for them sees them.
  await page.addInitScript(() => {
    (window as unknown as { cartEvents: string[] }).cartEvents = [];
    document.addEventListener("shopify:cart:lines-update", (e) => (window as unknown as { cartEvents: string[] }).cartEvents.push(`${(e as unknown as { action: string }).action}:${(e as unknown as { context: string }).context}`));
  });
}
const cartJs = (page: Page) => page.evaluate(() => fetch("/cart.js").then((r) => r.json()));
const euros = (minor: number) => `€${(minor / 100).toLocaleString("en", { minimumFractionDigits: 2 })}`;

// In stock in the seeded shop (its Mechanical keyboard and Inkjet Home photo paper are sold
// out, and blocks leave out what cannot be bought).
const PRINTER = "inkjet-mini-printer";
const PAPER = "inkjet-mini-photo-paper";
const COLOUR = "inkjet-mini-colour-ink-cartridge";
const PHONE = "nimbus-8-smartphone";
/** A seeded customer (customer7777@example.com, the stand-in's demo password). */
const CUSTOMER = { id: 7_000_007_777, email: "customer7777@example.com", password: "uplift-demo" };

test.describe.configure({ mode: "serial" });
// Every step bounded: an action or a navigation that cannot happen fails within a minute
// (Playwright's default is to wait for the test's whole timeout).
test.use({ actionTimeout: 30_000, navigationTimeout: 60_000 });

test("a merchant imports a mix-and-match set, a printer set for the cart and a storage ladder", async ({ request }) => {
  // Through the admin's own routes with App Bridge's session tokens (the admin UI's import is
  // covered by offers.spec.ts): on a loaded machine the embedded admin alone can take minutes.
  test.setTimeout(360_000);
  const [mouse, monitor, webcam, stand, printer, paper, colour, phone] = await Promise.all(
    ["wireless-mouse", "27-inch-monitor", "webcam-hd", "laptop-stand", PRINTER, PAPER, COLOUR, PHONE].map((h) => productJson(request, h)),
  ) as [ProductJson, ProductJson, ProductJson, ProductJson, ProductJson, ProductJson, ProductJson, ProductJson];
  const admin = async (path: string, form?: Record<string, string | string[]>) => {
    const headers = { Authorization: `Bearer ${await mintSessionToken({ shop: DEV_APP.shop, apiKey: DEV_APP.apiKey, apiSecret: DEV_APP.apiSecret })}` };
    if (!form) return request.get(env("E2E_APP_URL") + path, { headers, timeout: 120_000 });
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) for (const one of [v].flat()) body.append(k, one);
    return request.post(env("E2E_APP_URL") + path, { headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded" }, data: body.toString(), timeout: 120_000 });
  };
  // The first request installs the app (token exchange), which starts the catalog sync; the
  // offers are priced from the mirrored catalog, so they come once it is done (the dashboard's
  // "Up to date"), as a merchant would add them.
  await expect.poll(async () => {
    // A request the busy app drops (a reset connection) is asked again.
    const text = await admin("/app.data?index").then((r) => r.text(), () => "");
    return text.includes('"succeeded"'); // the catalog run; the order backfill may still run
  }, { timeout: 300_000, intervals: [5_000] }).toBe(true);
  expect((await admin("/app/settings.data", { threshold_EUR: "1500", holdout: "5", languages: ["en"], perPage: "2", perDay: "6" })).ok()).toBe(true);
  const bundles = await admin("/app/bundles.data?index", { intent: "import", file: offersFile([
    { ...common, kind: "bundle", name: "Desk mix", targeting: targeting(false), content: [{ id: "a", weight: 100, title: "Build your desk", body: "" }],
      bundle: { type: "mix_match", productIds: [mouse, monitor, webcam, stand].map((p) => P(p.id)), collectionIds: [], minItems: 2, maxItems: 3, discount: { type: "percentage", basisPoints: 1000 } } },
    { ...common, kind: "bundle", name: "Printer set", targeting: targeting(true), content: [{ id: "a", weight: 100, title: "Print photos at home", body: "" }],
      bundle: { type: "fbt", anchorProductId: P(printer.id), companions: [paper, colour].map((p) => ({ productId: P(p.id), variantId: null, quantity: 1 })), learned: 0, discount: { type: "percentage", basisPoints: 1000 } } },
  ]) });
  expect(bundles.ok()).toBe(true);
  expect(await bundles.text()).not.toContain("problems"); // what a refused file answers with
  const ladder = await admin("/app/upgrades.data?index", { intent: "import", file: offersFile([
    { ...common, kind: "upgrade", name: "Nimbus 8 storage", targeting: targeting(false), content: [{ id: "a", weight: 100, title: "More room", body: "" }], learned: false, incentive: { type: "none" },
      rungs: phone.variants.map((v, i) => ({ productId: P(phone.id), variantId: V(v.id), gain: i ? `Room for ${v.title}` : "" })) },
  ]) });
  expect(ladder.ok()).toBe(true);
  expect(await ladder.text()).not.toContain("problems");
});

test("a shopper picks within the set's rules, sees the total follow, and adds the set", async ({ page }) => {
  test.setTimeout(300_000); // the offer sync, as a job, comes first
  await asShopper(page);
  const mix = page.locator('[data-uplift-kind="mix_match"]');
  await expect.poll(async () => {
    await page.goto(shopUrl("/products/wireless-mouse"));
    return mix.count();
  }, { timeout: 240_000 }).toBe(1);
  await expect(mix.getByRole("heading", { name: "Build your desk" })).toBeVisible();
  const add = mix.getByRole("button", { name: "Add the set to cart" });
  await expect(add).toBeDisabled();
  await expect(mix.getByText("Items still to choose: 2")).toBeVisible();

  await mix.getByLabel("Wireless mouse", { exact: true }).check();
  await expect(mix.getByText("Items still to choose: 1")).toBeVisible();
  await mix.getByLabel("27-inch monitor", { exact: true }).check();
  // 29.00 + 109.00, 10 % off.
  await expect(mix.locator("[data-uplift-total]")).toHaveText("€124.20");
  await expect(mix.locator("[data-uplift-saving]")).toHaveText("You save €13.80");
  await expect(add).toBeEnabled();
  await mix.getByLabel("Webcam HD", { exact: true }).check();
  await mix.getByLabel("Laptop stand", { exact: true }).check();
  await expect(add).toBeDisabled();
  await expect(mix.getByText("Too many items: the set takes at most 3.")).toBeVisible();
  await mix.getByLabel("Laptop stand", { exact: true }).uncheck();
  await expect(add).toBeEnabled();

  const bar = page.locator("[data-uplift-fs-text]");
  await expect(bar).toHaveText("€1,500.00 more for free shipping");
  await add.click();
  await expect(mix.getByRole("status")).toHaveText("Added to your cart.");
  const cart = await cartJs(page);
  const offer = await mix.getAttribute("data-uplift-offer");
  expect(cart.items.map((i: { product_title: string }) => i.product_title).sort()).toEqual(["27-inch monitor", "Webcam HD", "Wireless mouse"]);
  for (const item of cart.items) expect(item.properties).toEqual({ _uplift_offer: offer, _uplift_version: "a" });
  // Through the theme's standard action: the drawer was refreshed and the event emitted.
  expect(await page.evaluate(() => (window as unknown as { cartEvents: string[] }).cartEvents)).toEqual(["add:standard-action"]);
  await expect(page.locator("#cart-drawer li")).toHaveCount(3);
  await expect(bar).toHaveText(`${euros(150_000 - cart.total_price)} more for free shipping`);
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
});

test("a shopper adds the cart offer from the drawer, the offers follow the cart, and a line moves up the ladder", async ({ page }) => {
  await asShopper(page);
  await page.goto(shopUrl(`/products/${PRINTER}`));
  await expect(page.locator('[data-uplift-kind="bundle"]')).toBeVisible({ timeout: 60_000 });
  // The theme's own "Add to cart": the drawer re-renders, and the offers are asked of the app.
  await page.locator("[data-product-form]").getByRole("button", { name: "Add to cart" }).click();
  const drawer = page.locator("#cart-drawer");
  const panel = drawer.getByRole("region", { name: "Offers for your cart" });
  await expect(panel.getByRole("heading", { name: "Print photos at home" })).toBeVisible();
  await expect(panel).toContainText("Inkjet Mini photo paper");
  await expect(panel).toContainText("Inkjet Mini colour ink cartridge");
  const bar = page.locator("[data-uplift-fs-text]");
  const before = await cartJs(page);
  await expect(bar).toHaveText(`${euros(150_000 - before.total_price)} more for free shipping`);

  await panel.getByRole("button", { name: "Add to cart" }).click();
  // Everything the set needs is in the cart now: its offer is gone from the refreshed panel.
  await expect(drawer.locator("li")).toHaveCount(3);
  await expect(panel.getByRole("heading", { name: "Print photos at home" })).toHaveCount(0);
  const cart = await cartJs(page);
  expect(cart.items.filter((i: { properties: Record<string, string> }) => i.properties._uplift_offer).map((i: { product_title: string }) => i.product_title).sort()).toEqual(["Inkjet Mini colour ink cartridge", "Inkjet Mini photo paper"]);
  await expect(bar).toHaveText(`${euros(150_000 - cart.total_price)} more for free shipping`);

  // The smallest phone into the cart: the ladder's next rung is offered for that line.
  const phone = (await page.evaluate((handle) => fetch(`/products/${handle}.js`).then((r) => r.json()), PHONE)) as ProductJson;
  // The lowest rung that can be bought, and the next one up that can (the seed sells some out).
  const from = phone.variants.find((v, i) => v.available && phone.variants.slice(i + 1).some((w) => w.available))!;
  const next = phone.variants.slice(phone.variants.indexOf(from) + 1).find((w) => w.available)!;
  await page.evaluate((id) => fetch("/cart/add.js", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ items: [{ id, quantity: 1 }] }) }), from.id);
  const upgrade = panel.getByRole("button", { name: `Switch to ${phone.title} – ${next.title}` });
  await expect(upgrade).toBeVisible();
  await expect(panel).toContainText(`Switch to ${phone.title} – ${next.title} for ${euros(next.price - from.price)} more`);
  await upgrade.click();
  await expect.poll(async () => (await cartJs(page)).items.filter((i: { product_id: number }) => i.product_id === phone.id).map((i: { variant_id: number; properties: Record<string, string> }) => [i.variant_id, i.properties._uplift_version]))
    .toEqual([[next.id, "a"]]);
  // The one line moved: nothing of the old rung is left, the rest is as it was.
  const after = await cartJs(page);
  expect(after.item_count).toBe(cart.item_count + 1);
  await expect(bar).toHaveText(`${euros(150_000 - after.total_price)} more for free shipping`);
  await page.goto(shopUrl("/cart"));
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
});

test("a logged-in customer is not offered what they already bought", async ({ page, request }) => {
  const paper = await productJson(request, PAPER);
  // The customer buys photo paper; the app learns it from the order webhook.
  const order = await request.post(shopUrl("/devshop/orders"), { data: { customerId: CUSTOMER.id, lines: [{ variantId: paper.variants[0]!.id }] } });
  expect(order.ok()).toBe(true);
  await asShopper(page);
  await page.goto(shopUrl("/account/login"));
  await page.getByLabel("Email").fill(CUSTOMER.email);
  await page.getByLabel("Password").fill(CUSTOMER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
  await page.goto(shopUrl(`/products/${PRINTER}`));
  await page.locator("[data-product-form]").getByRole("button", { name: "Add to cart" }).click();
  const panel = page.locator("#cart-drawer").getByRole("region", { name: "Offers for your cart" });
  await expect(panel.getByRole("heading", { name: "Print photos at home" })).toBeVisible();
  // Each cart change asks again; the order reaches the app's mirror within a few seconds.
  await expect.poll(async () => {
    await page.evaluate(() => fetch("/cart/update.js", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ note: String(Date.now()) }) }));
    await page.waitForTimeout(500);
    return panel.textContent();
  }, { timeout: 60_000 }).not.toContain("Inkjet Mini photo paper");
  await expect(panel).toContainText("Inkjet Mini colour ink cartridge");
});
