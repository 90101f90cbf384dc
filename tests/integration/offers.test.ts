import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER_UA, outcome, SHOP, startHarness, webhookRequest, type Harness } from "./support/harness";
import type { OfferDefinition } from "~/offers/model";
import { APP_ID, restProduct } from "../devshop/views.ts";

// The offer pages' actions with the real database and the stand-in: every change reaches
// the product metafields the storefront renders from.
let harness: Harness;
let prisma: typeof import("~/db.server").default;
let bundles: typeof import("~/routes/app.bundles.$id");
let bundleIndex: typeof import("~/routes/app.bundles._index");
const host = Buffer.from("admin.shopify.com/store/uplift-demo").toString("base64");

beforeAll(async () => {
  harness = await startHarness();
  prisma = (await import("~/db.server")).default;
  bundles = await import("~/routes/app.bundles.$id");
  bundleIndex = await import("~/routes/app.bundles._index");
  // Install: the first authenticated request exchanges the token, and the app's afterAuth
  // hook starts the catalog sync, which the offers need.
  await outcome(async () => bundleIndex.loader({ request: await request("/app/bundles"), params: {}, context: {} }));
  await harness.runJobs();
}, 120_000);
afterAll(() => harness.close());

async function request(path: string, form?: Record<string, string | string[]>): Promise<Request> {
  const headers = { Authorization: `Bearer ${await harness.sessionToken()}`, "User-Agent": BROWSER_UA };
  const url = `http://localhost:8170${path}?shop=${SHOP}&host=${host}`;
  if (!form) return new Request(url, { headers });
  const body = new FormData();
  for (const [key, value] of Object.entries(form)) for (const v of [value].flat()) body.append(key, v);
  return new Request(url, { method: "POST", headers, body });
}

async function productId(title: string): Promise<string> {
  return (await prisma.product.findFirstOrThrow({ where: { shop: SHOP, title } })).id;
}

function offersMetafield(ownerId: string): { offers: { id: string; proposals: Record<string, { type: string; price: { regular: number; price: number } }> }[] } | null {
  const field = harness.devshop.store.metafields(ownerId).find((m) => m.key === "offers" && m.namespace === `app--${APP_ID}--uplift`);
  return field ? JSON.parse(field.value) : null;
}

async function fbt(status: "active" | "draft" = "active"): Promise<Extract<OfferDefinition, { kind: "bundle" }>> {
  return {
    kind: "bundle", name: "Phone essentials", status, priority: 60, schedule: { startsAt: null, endsAt: null },
    targeting: { placements: ["product", "cart"], products: { productIds: [], variantIds: [], collectionIds: [], tags: [], vendors: [], productTypes: [] }, subtotal: {}, customerTags: { include: [], exclude: [] }, customerType: "any", currencies: [], markets: [], excludePurchased: false },
    content: [{ id: "a", weight: 100, title: "Complete your phone", body: "Case and charger, 10 % off together." }],
    bundle: {
      type: "fbt", anchorProductId: await productId("Nimbus 9 smartphone"),
      companions: [{ productId: await productId("Nimbus 9 silicone case"), variantId: null, quantity: 1 }, { productId: await productId("Nimbus 9 wireless charging stand"), variantId: null, quantity: 1 }],
      learned: 0,
      discount: { type: "percentage", basisPoints: 1000 },
    },
  };
}

/** An action's answer, once the jobs it queued (the metafield sync) have run, as the app's worker would. */
async function done(response: Promise<Response>): Promise<Response> {
  const answer = await response;
  await harness.runJobs();
  return answer;
}

const save = (id: string, definition: unknown) =>
  done(outcome(async () => bundles.action({ request: await request(`/app/bundles/${id}`, { intent: "save", definition: JSON.stringify(definition) }), params: { id }, context: {} })));

describe("offers reach Shopify", () => {
  let id: string;

  it("creating a bundle writes the anchor product's offers metafield with the bundle's prices", async () => {
    const response = await save("new", await fbt());
    expect(response.status).toBe(200);
    ({ id } = await response.json());
    const phone = await productId("Nimbus 9 smartphone");
    const field = offersMetafield(phone);
    expect(field?.offers.map((o) => o.id)).toEqual([id]);
    // The seed sold out the 64 GB, so the page shows the first variant that can be bought:
    // 128 GB phone 589.00 + case 29.00 + stand 39.00 = 657.00 EUR, 10 % off: 591.30.
    expect(field?.offers[0]!.proposals.EUR).toMatchObject({ type: "bundle", price: { currency: "EUR", regular: 65700, price: 59130 } });
    const run = await prisma.syncRun.findFirstOrThrow({ where: { shop: SHOP, kind: "offers" }, orderBy: { id: "desc" } });
    expect(run.status).toBe("succeeded");
    // The checkout's discount Function reads the set from each of its products, and the shop
    // got its automatic app discount and cart transform on the way.
    const rules = harness.devshop.store.metafields(phone).find((m) => m.key === "discounts");
    expect(JSON.parse(rules!.value)).toMatchObject({ v: 1, rules: [{ id, k: "fbt", off: { bp: 1000 } }] });
    expect(await prisma.shopFunctions.findUniqueOrThrow({ where: { shop: SHOP } })).toMatchObject({ cartTransformId: expect.stringMatching(/^gid:\/\/shopify\/CartTransform\//), discountId: expect.any(String) });
  });

  it("pausing it takes it off the product, and activating puts it back", async () => {
    const phone = await productId("Nimbus 9 smartphone");
    const act = async (intent: string) => done(outcome(async () => bundleIndex.action({ request: await request("/app/bundles", { intent, ids: [id] }), params: {}, context: {} })));
    expect((await act("pause")).status).toBe(200);
    expect(offersMetafield(phone)).toBeNull();
    expect((await act("activate")).status).toBe(200);
    expect(offersMetafield(phone)?.offers.map((o) => o.id)).toEqual([id]);
  });

  it("refuses an invalid bundle with field errors and writes nothing", async () => {
    const before = await prisma.offer.count();
    const bad = { ...(await fbt()), name: "", bundle: { ...(await fbt()).bundle, companions: [] } };
    const response = await save("new", bad);
    expect(response.status).toBe(400);
    const answer = await response.json();
    expect(answer.errors).toMatchObject({ name: "offers.errors.required", "bundle.companions": "offers.errors.companionsRequired" });
    // What was sent comes back, so nothing the merchant typed is lost.
    expect(answer.submitted).toEqual(JSON.parse(JSON.stringify(bad)));
    expect(await prisma.offer.count()).toBe(before);
    expect((await save("new", "not an offer")).status).toBe(400);
  });

  it("answers 404 for another shop's offer", async () => {
    await prisma.offer.create({ data: { shop: "someone-else.myshopify.com", id: "theirs", kind: "bundle", name: "x", status: "active", priority: 1, definition: "{}" } });
    const load = await outcome(async () => bundles.loader({ request: await request("/app/bundles/theirs"), params: { id: "theirs" }, context: {} }));
    expect(load.status).toBe(404);
    expect((await save("theirs", await fbt())).status).toBe(404);
    const pause = await done(outcome(async () => bundleIndex.action({ request: await request("/app/bundles", { intent: "delete", ids: ["theirs"] }), params: {}, context: {} })));
    expect((await pause.json()).count).toBe(0);
    expect(await prisma.offer.count({ where: { id: "theirs" } })).toBe(1);
  });

  it("a sync that fails during an outage is shown, the offer is kept, and a retry catches up", async () => {
    const outage = (requests: number) => fetch(`${harness.devshop.url}/devshop/outage`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ requests }) });
    const phone = await productId("Nimbus 9 smartphone");
    await outage(1000);
    const renamed = { ...(await fbt()), name: "Phone essentials, renamed", priority: 70 };
    const saved = await save(id, renamed);
    expect(saved.status).toBe(200);
    expect((await prisma.offer.findFirstOrThrow({ where: { id } })).name).toBe("Phone essentials, renamed");
    const index = async () => (await outcome(async () => bundleIndex.loader({ request: await request("/app/bundles"), params: {}, context: {} }))).json();
    // Shopify's 503 is a transient failure: the sync waits to retry, and says why.
    expect((await index()).sync).toMatchObject({ status: "failed", error: expect.stringContaining("503") });
    const waiting = await prisma.job.findFirstOrThrow({ where: { shop: SHOP, name: "offers.sync" }, orderBy: { createdAt: "desc" } });
    expect([waiting.status, waiting.attempts]).toEqual(["queued", 1]);
    expect(waiting.runAt.getTime()).toBeGreaterThan(Date.now());

    await outage(0);
    await done(outcome(async () => bundleIndex.action({ request: await request("/app/bundles", { intent: "retrySync" }), params: {}, context: {} })));
    expect((await index()).sync).toMatchObject({ status: "succeeded" });
    expect(offersMetafield(phone)?.offers.map((o) => o.id)).toEqual([id]);
    // The waiting retry was done by the merchant's: nothing is left to run.
    expect(await prisma.job.count({ where: { shop: SHOP, name: "offers.sync", status: "queued" } })).toBe(0);
  });

  it("imports a whole file or nothing", async () => {
    const { exportOffers } = await import("~/offers/transfer");
    const good = await fbt("draft");
    const file = (definitions: unknown[]) => exportOffers(definitions.map((d, i) => ({ ...(d as object), id: `x${i}`, createdAt: 0 }) as never), new Date());
    const importFile = async (text: string) => done(outcome(async () => bundleIndex.action({ request: await request("/app/bundles", { intent: "import", file: text }), params: {}, context: {} })));
    // The page is answered at once (202) with the import's id; a job checks and saves it, and
    // the page follows it at /app/imports/<id>.
    const importsRoute = await import("~/routes/app.imports.$id");
    const follow = async (response: Response) => {
      expect(response.status).toBe(202);
      const { importId } = await response.json();
      return (await outcome(async () => importsRoute.loader({ request: await request(`/app/imports/${importId}`), params: { id: importId }, context: {} }))).json();
    };
    const before = await prisma.offer.count({ where: { shop: SHOP } });
    const refused = await follow(await importFile(file([good, { ...good, bundle: { ...good.bundle, discount: { type: "percentage", basisPoints: 0 } } }])));
    expect(refused).toMatchObject({ status: "failed", saved: 0, problems: [{ line: 7, path: "bundle.discount.basisPoints", message: "offers.errors.percentage" }] });
    expect(await prisma.offer.count({ where: { shop: SHOP } })).toBe(before);
    const accepted = await follow(await importFile(file([good, { ...good, name: "Second" }])));
    expect(accepted).toMatchObject({ status: "succeeded", total: 2, saved: 2, problems: [] });
    expect(await prisma.offer.count({ where: { shop: SHOP } })).toBe(before + 2);
    // The file is not kept once read; another shop cannot see the import.
    expect((await prisma.offerImport.findUniqueOrThrow({ where: { id: accepted.id } })).file).toBeNull();
    const { importView } = await import("~/offers/imports.server");
    expect(await importView("someone-else.myshopify.com", accepted.id)).toBeNull();
  });

  it("a price change in Shopify reaches the bundle's metafield by the products webhook", async () => {
    const webhook = await import("~/routes/webhooks.products");
    const phone = await productId("Nimbus 9 smartphone");
    const caseId = Number((await productId("Nimbus 9 silicone case")).split("/").pop());
    const product = harness.devshop.store.products.get(caseId)!;
    const cheaper = { ...product, updatedAt: new Date().toISOString(), variants: product.variants.map((v) => ({ ...v, price: 1900 })) };
    const delivered = await done(outcome(() => webhook.action({ request: webhookRequest("/webhooks/products", "products/update", restProduct(cheaper)), params: {}, context: {} })));
    expect(delivered.status).toBe(200);
    // 589.00 + 19.00 + 39.00 = 647.00 EUR, 10 % off: 582.30; the sync ran after the answer.
    expect(offersMetafield(phone)?.offers[0]?.proposals.EUR?.price).toEqual({ currency: "EUR", regular: 64700, price: 58230 });
  });

  it("duplicating makes a draft copy, which the storefront does not see yet", async () => {
    const response = await done(outcome(async () => bundleIndex.action({ request: await request("/app/bundles", { intent: "duplicate", ids: [id] }), params: {}, context: {} })));
    expect(await response.json()).toMatchObject({ ok: true, count: 1 });
    const copy = await prisma.offer.findFirstOrThrow({ where: { shop: SHOP, name: "Phone essentials, renamed (copy)" } });
    expect(copy.status).toBe("draft");
    expect(offersMetafield(await productId("Nimbus 9 smartphone"))?.offers.map((o) => o.id)).toEqual([id]);
  });

  it("a bundle that learns its companions gets them from the shop's orders", async () => {
    // The backfill that installing started ends by learning from the orders.
    await expect.poll(() => prisma.recommendationModel.count({ where: { shop: SHOP } }), { timeout: 90_000, interval: 250 }).toBe(1);
    const anchor = await productId("Vireo One smartphone");
    const learning = { ...(await fbt()), name: "Vireo One, learned", bundle: { type: "fbt" as const, anchorProductId: anchor, companions: [], learned: 2, discount: { type: "percentage" as const, basisPoints: 1000 } } };
    expect((await save("new", learning)).status).toBe(200);
    const offered = offersMetafield(anchor)?.offers[0]?.proposals.EUR as unknown as { items: { productId: string; role: string }[] };
    const titles = await Promise.all(offered.items.filter((i) => i.role === "add").map(async (i) => (await prisma.product.findFirstOrThrow({ where: { shop: SHOP, id: i.productId } })).title));
    // The demo's orders buy the Vireo One with its own case and charging stand.
    expect(titles).toEqual(["Vireo One silicone case", "Vireo One wireless charging stand"]);
  }, 120_000);

  it("a learned ladder offers each product what its buyers moved up to", async () => {
    const upgrades = await import("~/routes/app.upgrades.$id");
    const { blankOffer } = await import("~/offers/defaults");
    const ladder = { ...blankOffer("upgrade"), name: "Move up, learned", status: "active", learned: true, content: [{ id: "a", weight: 100, title: "Go further", body: "" }] };
    const response = await done(outcome(async () => upgrades.action({ request: await request("/app/upgrades/new", { intent: "save", definition: JSON.stringify(ladder) }), params: { id: "new" }, context: {} })));
    expect(response.status).toBe(200);
    const { id: ladderId } = await response.json();
    // The demo's phone owners move up to the same line's Pro model months later.
    const offered = offersMetafield(await productId("Nimbus 8 smartphone"))?.offers.find((o) => o.id === ladderId)?.proposals.EUR as unknown as { type: string; to: { productId: string } };
    expect(offered?.type).toBe("upgrade");
    expect(offered.to.productId).toBe(await productId("Nimbus 8 Pro smartphone"));
  });

  it("deleting offers takes them off their products, and a product left with none loses its metafield", async () => {
    const phone = await productId("Nimbus 9 smartphone");
    const response = await done(outcome(async () => bundles.action({ request: await request(`/app/bundles/${id}`, { intent: "delete" }), params: { id }, context: {} })));
    expect(response.status).toBe(200);
    expect(offersMetafield(phone)?.offers.map((o) => o.id)).not.toContain(id);
    // The learned ladder still offers the phone its Pro; deleting every offer clears it.
    const rest = (await prisma.offer.findMany({ where: { shop: SHOP } })).map((o) => o.id);
    expect((await done(outcome(async () => bundleIndex.action({ request: await request("/app/bundles", { intent: "delete", ids: rest }), params: {}, context: {} })))).status).toBe(200);
    const upgrades = await import("~/routes/app.upgrades._index");
    expect((await done(outcome(async () => upgrades.action({ request: await request("/app/upgrades", { intent: "delete", ids: rest }), params: {}, context: {} })))).status).toBe(200);
    expect(await prisma.offer.count({ where: { shop: SHOP } })).toBe(0);
    expect(offersMetafield(phone)).toBeNull();
    expect(await prisma.offerMetafield.count({ where: { shop: SHOP } })).toBe(0);
  });
});
