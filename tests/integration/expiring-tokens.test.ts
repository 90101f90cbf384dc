import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { API_KEY, API_SECRET, BROWSER_UA, outcome, SHOP, startHarness, type Harness } from "./support/harness";

// Expiring offline tokens: the stand-in issues tokens that last an hour with a refresh token,
// refuses expired ones as Shopify does and rotates the refresh token on each refresh; the app,
// an hour later, still reaches the Admin API through `unauthenticated.admin(shop)`.
let harness: Harness;
let settingsLoader: typeof import("~/routes/app.settings").loader;
let shopify: typeof import("~/shopify.server");
let prisma: typeof import("~/db.server").default;

const HOUR = 3_600_000;
const host = Buffer.from("admin.shopify.com/store/uplift-demo").toString("base64");

beforeAll(async () => {
  harness = await startHarness();
  ({ loader: settingsLoader } = await import("~/routes/app.settings"));
  shopify = await import("~/shopify.server");
  prisma = (await import("~/db.server")).default;
});
afterAll(async () => {
  vi.useRealTimers();
  await harness.close();
});

const offlineSession = () => prisma.session.findUniqueOrThrow({ where: { id: `offline_${SHOP}` } });

/** How far the app's clock is ahead of the wall clock: as far as the stand-in's. */
let ahead = 0;

/** An hour passes for Shopify (the stand-in's clock) and for the app (its `Date`), which stay together. */
async function anHourPasses() {
  const step = HOUR + 60_000;
  const response = await fetch(`${harness.devshop.url}/devshop/clock`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ advanceMs: step }) });
  expect(response.status).toBe(200);
  ahead += step;
  vi.useRealTimers();
  vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + ahead, shouldAdvanceTime: true });
}

/** The Admin API called directly with a token, as the app's client calls it. */
const adminCall = (token: string) =>
  fetch(`https://${SHOP}/admin/api/2026-10/graphql.json`, { method: "POST", headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token }, body: JSON.stringify({ query: "{ shop { name } }" }) });

const refresh = (refreshToken: string) =>
  fetch(`https://${SHOP}/admin/oauth/access_token`, {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ client_id: API_KEY, client_secret: API_SECRET, grant_type: "refresh_token", refresh_token: refreshToken }),
  });

const shopName = async () => {
  const { admin } = await shopify.unauthenticated.admin(SHOP);
  const response = await admin.graphql("#graphql\n query { shop { name } }");
  return ((await response.json()) as { data: { shop: { name: string } } }).data.shop.name;
};

describe("expiring offline access tokens", () => {
  it("installs with an offline token that expires in an hour and a refresh token, both stored", async () => {
    const request = new Request(`http://localhost:8170/app/settings?shop=${SHOP}&host=${host}`, { headers: { Authorization: `Bearer ${await harness.sessionToken()}`, "User-Agent": BROWSER_UA } });
    expect((await outcome(() => settingsLoader({ request, params: {}, context: {} }))).status).toBe(200);
    const session = await offlineSession();
    expect(session.refreshToken).toMatch(/^shprt_/);
    const inMinutes = (session.expires!.getTime() - Date.now()) / 60_000;
    expect(inMinutes).toBeGreaterThan(55);
    expect(inMinutes).toBeLessThanOrEqual(60);
    expect(session.refreshTokenExpires!.getTime() - Date.now()).toBeGreaterThan(80 * 24 * HOUR);
    expect(await shopName()).toBe("Uplift Demo Store");
  });

  it("an hour later, Shopify refuses the old token and the app refreshes it to keep working", async () => {
    const before = await offlineSession();
    await anHourPasses();
    const refused = await adminCall(before.accessToken);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });

    expect(await shopName()).toBe("Uplift Demo Store");
    const after = await offlineSession();
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(after.expires!.getTime()).toBeGreaterThan(Date.now() + 55 * 60_000);
  });

  it("rotates the refresh token: once its replacement is used, an old refresh token is refused", async () => {
    const first = (await offlineSession()).refreshToken!;
    await anHourPasses();
    expect(await shopName()).toBe("Uplift Demo Store"); // refreshes with `first`, gets a second
    const second = (await offlineSession()).refreshToken!;
    expect(second).not.toBe(first);
    await anHourPasses();
    expect(await shopName()).toBe("Uplift Demo Store"); // uses `second`, which retires `first`
    expect((await offlineSession()).refreshToken).not.toBe(second);

    const refused = await refresh(first);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: "invalid_grant" });
    expect((await refresh("shprt_made-up")).status).toBe(400);
  });

  it("a background job that runs hours after the install gets a fresh token and does its work", async () => {
    const before = await offlineSession();
    await anHourPasses();
    const { runDueJobs } = await import("~/jobs/worker.server");
    // The install queued the catalog sync; it runs now, with its own client (shopAdmin).
    expect(await runDueJobs({ names: ["catalog.sync"] })).toBeGreaterThan(0);
    const run = await prisma.syncRun.findFirstOrThrow({ where: { shop: SHOP, kind: "catalog" }, orderBy: { id: "desc" } });
    expect(run.status).toBe("succeeded");
    expect(await prisma.product.count({ where: { shop: SHOP } })).toBe(harness.devshop.store.products.size);
    expect((await offlineSession()).accessToken).not.toBe(before.accessToken);
  });

  it("a shop still on a non-expiring token gets an expiring pair from a job, even when an earlier answer was lost", async () => {
    // A token from before the app asked for expiring ones, as the shop's stored session.
    const exchanged = await fetch(`https://${SHOP}/admin/oauth/access_token`, {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        client_id: API_KEY, client_secret: API_SECRET, grant_type: "urn:ietf:params:oauth:grant-type:token-exchange", subject_token: await harness.sessionToken(),
        subject_token_type: "urn:ietf:params:oauth:token-type:id_token", requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
      }),
    });
    const legacy = ((await exchanged.json()) as { access_token: string; expires_in?: number });
    expect(legacy.expires_in).toBeUndefined();
    await prisma.session.update({ where: { id: `offline_${SHOP}` }, data: { accessToken: legacy.access_token, expires: null, refreshToken: null, refreshTokenExpires: null } });

    const { enqueueTokenMigrations } = await import("~/shop/tokens.server");
    expect(await enqueueTokenMigrations()).toBe(1);
    // An attempt that died after Shopify answered and before the pair was stored.
    const { session: lost } = await shopify.migrateToExpiringToken({ shop: SHOP, nonExpiringOfflineAccessToken: legacy.access_token });
    const { runDueJobs } = await import("~/jobs/worker.server");
    expect(await runDueJobs({ names: ["tokens.migrate"] })).toBe(1);
    const stored = await offlineSession();
    expect([stored.accessToken, stored.refreshToken]).toEqual([lost.accessToken, lost.refreshToken]);
    expect(stored.expires!.getTime()).toBeGreaterThan(Date.now());
    expect((await adminCall(legacy.access_token)).status).toBe(401);
    expect(await shopName()).toBe("Uplift Demo Store");
    expect(await enqueueTokenMigrations()).toBe(0);
  });
});
