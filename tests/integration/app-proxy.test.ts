import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_SECRET, BROWSER_UA, outcome, SHOP, startHarness, type Harness } from "./support/harness";
import { proxySignature } from "../devshop/storefront/app-proxy.ts";
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
    targeting: { placements: ["cart"], products: { productIds: [], variantIds: [], collectionIds: [], tags: [], vendors: [], productTypes: [] }, subtotal: {}, customerTags: { include: [], exclude: [] }, customerType: "any", currencies: [], markets: [], excludePurchased: false },
    content: [{ id: "a", weight: 100, title: "Complete your phone", body: "" }],
    bundle: { type: "fbt", anchorProductId: phone.id, companions: [{ productId: caseId, variantId: null, quantity: 1 }, { productId: standId, variantId: null, quantity: 1 }], learned: 0, discount: { type: "percentage", basisPoints: 1000 } },
  });
}, 120_000);
afterAll(() => harness.close());

/** A visitor on each side of the shop's holdout (5 % by default). */
const visitor = (holdout: boolean) => {
  for (let i = 0; ; i++) if (inHoldout(`visitor-${i}`, DEFAULT_SETTINGS.holdoutBasisPoints) === holdout) return `visitor-${i}`;
};

/** The request Shopify forwards; `tamper` edits the signed parameters (or the signature) to forge one. */
function proxied(query: Record<string, string>, options: { secret?: string; age?: number; unsigned?: boolean; tamper?: (p: URLSearchParams) => void } = {}): Request {
  const params = new URLSearchParams(query);
  params.append("shop", SHOP);
  params.append("logged_in_customer_id", "");
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
