import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER_UA, outcome, SHOP, startHarness, type Harness } from "./support/harness";
import type { OfferDefinition } from "~/offers/model";

// Malformed and hostile input on the real routes: each gets a 4xx with a message that says
// what is wrong, never a 500, and nothing is written.
let harness: Harness;
let prisma: typeof import("~/db.server").default;
let bundles: typeof import("~/routes/app.bundles.$id");
let bundleIndex: typeof import("~/routes/app.bundles._index");
let funnels: typeof import("~/routes/app.post-purchase.$id");
let settings: typeof import("~/routes/app.settings");
const host = Buffer.from("admin.shopify.com/store/uplift-demo").toString("base64");

beforeAll(async () => {
  harness = await startHarness();
  prisma = (await import("~/db.server")).default;
  bundles = await import("~/routes/app.bundles.$id");
  bundleIndex = await import("~/routes/app.bundles._index");
  funnels = await import("~/routes/app.post-purchase.$id");
  settings = await import("~/routes/app.settings");
  await outcome(async () => settings.loader({ request: await request("/app/settings"), params: {}, context: {} }));
}, 60_000);
afterAll(() => harness.close());

async function request(path: string, form?: Record<string, string | string[]>, token?: string): Promise<Request> {
  const headers = { Authorization: `Bearer ${token ?? (await harness.sessionToken())}`, "User-Agent": BROWSER_UA };
  const url = `http://localhost:8170${path}?shop=${SHOP}&host=${host}`;
  if (!form) return new Request(url, { headers });
  const body = new FormData();
  for (const [key, value] of Object.entries(form)) for (const v of [value].flat()) body.append(key, v);
  return new Request(url, { method: "POST", headers, body });
}

const emptyTargets = { productIds: [], variantIds: [], collectionIds: [], tags: [], vendors: [], productTypes: [] };
const targeting = (placements: string[]) => ({ placements, products: emptyTargets, subtotal: {}, customerTags: { include: [], exclude: [] }, customerType: "any", currencies: [], markets: [], excludePurchased: false });

function bundle(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: "bundle", name: "Phone essentials", status: "draft", priority: 50, schedule: { startsAt: null, endsAt: null },
    targeting: targeting(["product"]), content: [{ id: "a", weight: 100, title: "Together", body: "" }],
    bundle: { type: "fbt", anchorProductId: "gid://shopify/Product/1", companions: [{ productId: "gid://shopify/Product/2", variantId: null, quantity: 1 }], learned: 0, discount: { type: "percentage", basisPoints: 1000 } },
    ...overrides,
  } satisfies OfferDefinition | Record<string, unknown>;
}

const saveBundle = async (definition: unknown) =>
  outcome(async () => bundles.action({ request: await request("/app/bundles/new", { intent: "save", definition: JSON.stringify(definition) }), params: { id: "new" }, context: {} }));

describe("bad input gets a 4xx with a clear message", () => {
  it("refuses a start date of 1e20 ms (past any date a computer can show)", async () => {
    const before = await prisma.offer.count();
    const response = await saveBundle(bundle({ schedule: { startsAt: 1e20, endsAt: null } }));
    expect(response.status).toBe(400);
    expect((await response.json()).errors).toEqual({ "schedule.startsAt": "offers.errors.date" });
    expect(await prisma.offer.count()).toBe(before);
  });

  it("refuses a name with a lone surrogate (text no browser or JSON encoder can carry)", async () => {
    const response = await saveBundle(bundle({ name: "Phone \ud800 essentials" }));
    expect(response.status).toBe(400);
    expect((await response.json()).errors).toEqual({ name: "offers.errors.invalidText" });
  });

  it("refuses a funnel nested 5,000 deep before walking it", async () => {
    // Written out by hand: JSON.stringify itself recurses, and would overflow here first.
    const step = '{"item":{"productId":"gid://shopify/Product/1","variantId":null,"quantity":1},"learned":false,"discount":{"type":"none"},"headline":"More?","decline":null,"accept":';
    const root = `${step.repeat(5000)}null${"}".repeat(5000)}`;
    const { bundle: _bundle, ...common } = bundle();
    const definition = `${JSON.stringify({ ...common, kind: "funnel", targeting: targeting(["post_purchase"]) }).slice(0, -1)},"root":${root}}`;
    const response = await outcome(async () => funnels.action({ request: await request("/app/post-purchase/new", { intent: "save", definition }), params: { id: "new" }, context: {} }));
    expect(response.status).toBe(400);
    expect((await response.json()).errors).toEqual({ root: "offers.errors.funnelTooDeep" });
  });

  it("refuses 40,000 ids in one bulk action, saying how many it takes", async () => {
    const { MAX_BULK_IDS } = await import("~/admin/offer-pages.server");
    const ids = Array.from({ length: 40_000 }, (_, i) => `offer-${i}`);
    const response = await outcome(async () => bundleIndex.action({ request: await request("/app/bundles", { intent: "delete", ids }), params: {}, context: {} }));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ ok: false, problems: [{ message: "offers.errors.tooManySelected", detail: String(MAX_BULK_IDS) }] });
    // As many as the limit is fine (none of them are this shop's: nothing happens).
    const most = await outcome(async () => bundleIndex.action({ request: await request("/app/bundles", { intent: "delete", ids: ids.slice(0, MAX_BULK_IDS) }), params: {}, context: {} }));
    expect(await most.json()).toMatchObject({ ok: true, count: 0 });
  });

  it("answers 400 to a signed session token whose dest is not a shop domain", async () => {
    const { mintSessionToken } = await import("../devshop/session-token.ts");
    for (const shop of ["example.com", "evil.example/admin", "not a shop"]) {
      const token = await mintSessionToken({ shop, apiKey: "uplift-test-key", apiSecret: "uplift-test-secret" });
      const response = await outcome(async () => settings.loader({ request: await request("/app/settings", undefined, token), params: {}, context: {} }));
      expect(response.status, shop).toBe(400);
      expect(await response.text()).toMatch(/shop/i);
    }
  });

  it("refuses 1e1 and 0x10 as percentages and counts in the settings", async () => {
    for (const value of ["1e1", "0x10", "1_0", "+3", "3e0", "Infinity"]) {
      const response = await outcome(async () => settings.action({ request: await request("/app/settings", { holdout: value, languages: "en", perPage: value, perDay: value }), params: {}, context: {} }));
      expect(response.status, value).toBe(400);
      expect((await response.json()).errors, value).toMatchObject({ holdout: "settings.errors.holdout", perPage: "settings.errors.perPage", perDay: "settings.errors.perDay" });
    }
    const fine = await outcome(async () => settings.action({ request: await request("/app/settings", { holdout: "10", languages: "en", perPage: "2", perDay: "6" }), params: {}, context: {} }));
    expect(fine.status).toBe(200);
  });

  it("refuses an import over the size limit with a message that gives the limit", async () => {
    const { MAX_IMPORT_BYTES } = await import("~/offers/transfer");
    const file = `{"format":"uplift-offers","version":1,"offers":[${" ".repeat(MAX_IMPORT_BYTES)}]}`;
    const response = await outcome(async () => bundleIndex.action({ request: await request("/app/bundles", { intent: "import", file }), params: {}, context: {} }));
    expect(response.status).toBe(413);
    expect((await response.json()).problems).toEqual([{ line: 1, path: "", message: "offers.import.tooLarge", detail: `${MAX_IMPORT_BYTES / 1_000_000} MB` }]);
  });
});
