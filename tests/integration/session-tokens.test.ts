import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER_UA, outcome, SHOP, startHarness, type Harness } from "./support/harness";

// The embedded admin's session tokens, checked by Shopify's library on our real routes.
let harness: Harness;
let settingsLoader: typeof import("~/routes/app.settings").loader;

beforeAll(async () => {
  harness = await startHarness();
  ({ loader: settingsLoader } = await import("~/routes/app.settings"));
});
afterAll(() => harness.close());

const host = Buffer.from(`admin.shopify.com/store/uplift-demo`).toString("base64");

/** A request as App Bridge's fetch sends it: the session token in the Authorization header. */
const fetchRequest = (token: string) =>
  new Request(`http://localhost:8170/app/settings?shop=${SHOP}&host=${host}`, { headers: { Authorization: `Bearer ${token}`, "User-Agent": BROWSER_UA } });

const load = (request: Request) => outcome(() => settingsLoader({ request, params: {}, context: {} }));

describe("session tokens", () => {
  it("accepts a valid token and installs the app by token exchange", async () => {
    const response = await load(fetchRequest(await harness.sessionToken()));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.currencies).toContain("USD");
    const installed = harness.devshop.store.db.prepare("SELECT shop FROM installations WHERE uninstalled_at IS NULL").all();
    expect(installed).toEqual([{ shop: SHOP }]);
  });

  it("rejects a token signed with another secret", async () => {
    const response = await load(fetchRequest(await harness.sessionToken({ apiSecret: "not-the-secret" })));
    expect(response.status).toBe(401);
  });

  it("rejects a token for another app", async () => {
    const response = await load(fetchRequest(await harness.sessionToken({ apiKey: "another-app" })));
    expect(response.status).toBe(401);
  });

  it("rejects an expired token", async () => {
    const response = await load(fetchRequest(await harness.sessionToken({ offsetSeconds: -3600 })));
    expect(response.status).toBe(401);
  });

  it("rejects a request without a token", async () => {
    const response = await load(new Request(`http://localhost:8170/app/settings`, { headers: { "User-Agent": BROWSER_UA, Authorization: "Bearer garbage" } }));
    expect(response.status).toBe(401);
  });
});
