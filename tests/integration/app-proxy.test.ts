import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_SECRET, BROWSER_UA, outcome, SHOP, startHarness, type Harness } from "./support/harness";
import { proxySignature } from "../devshop/storefront/app-proxy.ts";
import { presentmentPrice } from "../devshop/markets.ts";
import { inHoldout } from "~/offers/assignment";
import { DEFAULT_SETTINGS } from "~/settings/settings";

// The app proxy's cart offers (routes/proxy.cart-offers.tsx) against the real database:
// signed requests answered from the selection engine, everything else refused with 4xx.
let harness: Harness;
let prisma: typeof import("~/db.server").default;
let route: typeof import("~/routes/proxy.cart-offers");
const numeric = (gid: string) => gid.split("/").pop()!;
let phone: { id: string; variant: string };
let caseId: string;
let standId: string;
let laptop: { id: string; variant: string };

beforeAll(async () => {
  harness = await startHarness();
  prisma = (await import("~/db.server")).default;
  route = await import("~/routes/proxy.cart-offers");
  const index = await import("~/routes/app._index");
  const host = Buffer.from("admin.shopify.com/store/uplift-demo").toString("base64");
  // Install (token exchange); the catalog sync it starts is a job, run here to the end.
  await outcome(async () => index.loader({ request: new Request(`http://localhost:8170/app?shop=${SHOP}&host=${host}`, { headers: { Authorization: `Bearer ${await harness.sessionToken()}`, "User-Agent": BROWSER_UA } }), params: {}, context: {} }));
  await harness.runJobs();
  const product = (title: string) => prisma.product.findFirstOrThrow({ where: { shop: SHOP, title } });
  const p = await product("Nimbus 9 smartphone");
  const v = await prisma.variant.findFirstOrThrow({ where: { shop: SHOP, productId: p.id, availableForSale: true }, orderBy: { position: "asc" } });
  phone = { id: p.id, variant: v.id };
  caseId = (await product("Nimbus 9 silicone case")).id;
  standId = (await product("Nimbus 9 wireless charging stand")).id;
  const { createOffer } = await import("~/offers/repository.server");
  await createOffer(SHOP, {
    kind: "bundle", name: "Phone essentials", status: "active", priority: 60, schedule: { startsAt: null, endsAt: null },
    // What a logged-in customer bought before is left out; a guest is offered everything.
    targeting: { placements: ["cart"], products: { productIds: [], variantIds: [], collectionIds: [], tags: [], vendors: [], productTypes: [] }, subtotal: {}, customerTags: { include: [], exclude: [] }, customerType: "any", currencies: [], markets: [], excludePurchased: true },
    content: [{ id: "a", weight: 100, title: "Complete your phone", body: "" }],
    bundle: { type: "fbt", anchorProductId: phone.id, companions: [{ productId: caseId, variantId: null, quantity: 1 }, { productId: standId, variantId: null, quantity: 1 }], learned: 0, discount: { type: "percentage", basisPoints: 1000 } },
  });
  const l = await product("Aerobook 13 laptop");
  laptop = { id: l.id, variant: (await prisma.variant.findFirstOrThrow({ where: { shop: SHOP, productId: l.id, availableForSale: true }, orderBy: { position: "asc" } })).id };
  const sleeve = await product("Aerobook 13 felt sleeve");
  await createOffer(SHOP, {
    kind: "bundle", name: "For our VIPs", status: "active", priority: 60, schedule: { startsAt: null, endsAt: null },
    targeting: { placements: ["cart"], products: { productIds: [], variantIds: [], collectionIds: [], tags: [], vendors: [], productTypes: [] }, subtotal: {}, customerTags: { include: ["vip"], exclude: [] }, customerType: "any", currencies: [], markets: [], excludePurchased: false },
    content: [{ id: "a", weight: 100, title: "A sleeve for VIPs", body: "" }],
    bundle: { type: "fbt", anchorProductId: laptop.id, companions: [{ productId: sleeve.id, variantId: null, quantity: 1 }], learned: 0, discount: { type: "percentage", basisPoints: 2000 } },
  });
}, 300_000); // installs and mirrors the seeded shop: minutes on a loaded 2-core machine
afterAll(() => harness.close());

/** A visitor on each side of the shop's holdout (5 % by default). */
const visitor = (holdout: boolean) => {
  for (let i = 0; ; i++) if (inHoldout(`visitor-${i}`, DEFAULT_SETTINGS.holdoutBasisPoints) === holdout) return `visitor-${i}`;
};

/** The request Shopify forwards; `tamper` edits the signed parameters (or the signature) to forge one. */
function proxied(query: Record<string, string>, options: { secret?: string; age?: number; unsigned?: boolean; customer?: string; tamper?: (p: URLSearchParams) => void } = {}): Request {
  const params = new URLSearchParams(query);
  params.append("shop", SHOP);
  params.append("logged_in_customer_id", options.customer ?? "");
  params.append("path_prefix", "/apps/uplift");
  params.append("timestamp", String(Math.floor(Date.now() / 1000) - (options.age ?? 0)));
  if (!options.unsigned) params.append("signature", proxySignature(params, options.secret ?? API_SECRET));
  options.tamper?.(params);
  return new Request(`http://localhost:8170/proxy/cart-offers?${params}`, { headers: { "User-Agent": BROWSER_UA } });
}
const cart = (who: string) => ({ lines: `${numeric(phone.variant)}:${numeric(phone.id)}:1`, currency: "EUR", subtotal: "58900", visitor: who });
const ask = (request: Request) => outcome(() => route.loader({ request, params: {}, context: {} }));

describe("the app proxy's cart offers", () => {
  it("offers what completes the cart, leaving out what is in it, priced in the cart's currency", async () => {
    const response = await ask(proxied(cart(visitor(false))));
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("private, no-store");
    const body = (await response.json()) as { holdout: boolean; offers: { title: string; proposal: { type: string; items: { productId: string; role: string }[]; price: { currency: string } } }[]; handles: Record<string, string> };
    expect(body.holdout).toBe(false);
    expect(body.offers).toHaveLength(1);
    const { proposal } = body.offers[0]!;
    expect(proposal.price.currency).toBe("EUR");
    expect(proposal.items.map((i) => [i.productId, i.role])).toEqual([[phone.id, "have"], [caseId, "add"], [standId, "add"]]);
    expect(body.handles[caseId]).toBe("nimbus-9-silicone-case");

    const withCase = await ask(proxied({ ...cart(visitor(false)), lines: `${cart("x").lines},${numeric((await prisma.variant.findFirstOrThrow({ where: { shop: SHOP, productId: caseId } })).id)}:${numeric(caseId)}:1` }));
    const items = ((await withCase.json()) as { offers: { proposal: { items: { productId: string; role: string }[] } }[] }).offers[0]!.proposal.items;
    expect(items.find((i) => i.productId === caseId)?.role).toBe("have");
  });

  it("prices the offer in dollars for a cart in dollars, at the prices the US market charges", async () => {
    const response = await ask(proxied({ ...cart(visitor(false)), currency: "USD", subtotal: "63699" }));
    const { proposal } = ((await response.json()) as { offers: { proposal: { items: { variantId: string; unitPrice: number; quantity: number; role: string }[]; price: { currency: string; regular: number; price: number } } }[] }).offers[0]!;
    expect(proposal.price.currency).toBe("USD");
    // Each item as the stand-in charges it in the US (its contextualPricing), which the sync stored.
    for (const item of proposal.items) {
      const variant = [...harness.devshop.store.products.values()].flatMap((p) => p.variants).find((v) => v.id === Number(numeric(item.variantId)))!;
      expect(item.unitPrice).toBe(presentmentPrice(variant.price, "USD", "EUR"));
      expect(item.unitPrice % 100).toBe(99); // the market rounded it
    }
    const added = proposal.items.filter((i) => i.role === "add").reduce((n, i) => n + i.unitPrice * i.quantity, 0);
    expect(added).toBeGreaterThan(0);
  });

  it("sees an offer change made through this instance at once, not after its 30 s cache", async () => {
    const offered = async () => ((await (await ask(proxied(cart(visitor(false))))).json()) as { offers: unknown[] }).offers.length;
    expect(await offered()).toBe(1); // cached now
    const { listOffers, setOfferStatus } = await import("~/offers/repository.server");
    const [essentials] = (await listOffers(SHOP)).filter((o) => o.name === "Phone essentials");
    await setOfferStatus(SHOP, [essentials!.id], "paused");
    await new Promise((resolve) => setImmediate(resolve)); // the commit's listeners
    expect(await offered()).toBe(0);
    await setOfferStatus(SHOP, [essentials!.id], "active");
    await new Promise((resolve) => setImmediate(resolve));
    expect(await offered()).toBe(1);
  });

  it("shows a holdout visitor nothing", async () => {
    const body = await (await ask(proxied(cart(visitor(true))))).json();
    expect(body).toMatchObject({ holdout: true, offers: [] });
  });

  it("refuses forged, expired, unsigned, duplicated and malformed requests with 4xx, never 500", async () => {
    const query = cart(visitor(false));
    const refused: [string, Request][] = [
      ["forged", proxied(query, { secret: "not-the-secret" })],
      ["tampered", proxied(query, { tamper: (p) => p.set("lines", `${numeric(phone.variant)}:${numeric(phone.id)}:9`) })],
      ["expired", proxied(query, { age: 3600 })],
      ["unsigned", proxied(query, { unsigned: true })],
      ["duplicated shop", proxied(query, { tamper: (p) => p.append("shop", "other.myshopify.com") })],
      ["garbage signature", proxied(query, { tamper: (p) => p.set("signature", "zz") })],
      ["bad lines", proxied({ ...query, lines: "1:x:1" })],
      ["no currency", proxied({ lines: query.lines, subtotal: "1", visitor: query.visitor })],
      ["bad visitor", proxied({ ...query, visitor: "<script>" })],
      ["bad quantity", proxied({ ...query, lines: `${numeric(phone.variant)}:${numeric(phone.id)}:0` })],
    ];
    for (const [name, request] of refused) {
      const status = (await ask(request)).status;
      expect(status, name).toBeGreaterThanOrEqual(400);
      expect(status, name).toBeLessThan(500);
    }
  });
});

describe("the app proxy and the logged-in customer", () => {
  /** The products the cart offers for this customer would add. */
  const adds = async (query: Record<string, string>, customer?: string) => {
    const response = await ask(proxied(query, { customer }));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { offers: { title: string; proposal: { items: { productId: string; role: string }[] } }[] };
    return body.offers.map((o) => ({ title: o.title, adds: o.proposal.items.filter((i) => i.role === "add").map((i) => i.productId) }));
  };

  it("leaves out what the signed customer already bought, and only for them", async () => {
    // A customer of the seeded history who bought the case but never the stand.
    const bought = await prisma.order.findMany({ where: { shop: SHOP, customerId: { not: null }, lines: { some: { productId: caseId } } }, select: { customerId: true }, take: 200 });
    const ids = [...new Set(bought.map((o) => o.customerId!))];
    const withStand = new Set((await prisma.order.findMany({ where: { shop: SHOP, customerId: { in: ids }, lines: { some: { productId: standId } } }, select: { customerId: true } })).map((o) => o.customerId));
    const customer = numeric(ids.find((id) => !withStand.has(id))!);
    const query = cart(visitor(false));
    expect(await adds(query)).toEqual([{ title: "Complete your phone", adds: [caseId, standId] }]);
    expect(await adds(query, customer)).toEqual([{ title: "Complete your phone", adds: [standId] }]);
    // The id is signed with the rest: a shopper who names another customer is refused.
    const forged = proxied(query, { customer, tamper: (p) => p.set("logged_in_customer_id", String(BigInt(customer) + 1n)) });
    expect((await ask(forged)).status).toBe(400);
    expect((await ask(proxied(query, { customer: "not-a-customer" }))).status).toBe(400);
  });

  it("applies customer-tag targeting with the tags Shopify holds for the customer", async () => {
    const customers = [...harness.devshop.store.customers.values()];
    const vip = customers.find((c) => c.tags.includes("vip"))!;
    const other = customers.find((c) => !c.tags.includes("vip"))!;
    const query = { ...cart(visitor(false)), lines: `${numeric(laptop.variant)}:${numeric(laptop.id)}:1` };
    expect((await adds(query)).map((o) => o.title)).not.toContain("A sleeve for VIPs");
    expect((await adds(query, String(other.id))).map((o) => o.title)).not.toContain("A sleeve for VIPs");
    expect((await adds(query, String(vip.id))).map((o) => o.title)).toContain("A sleeve for VIPs");
  });
});
