import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import "@shopify/shopify-api/adapters/node";
import { ApiVersion, RequestedTokenType, Session, shopifyApi } from "@shopify/shopify-api";
import { startDevshop, type Devshop } from "../devshop/server.ts";
import { installDevshopRouting } from "../devshop/route-to-devshop.ts";
import { mintSessionToken } from "../devshop/session-token.ts";

// The stand-in itself: what it signs and sends must be what Shopify's library accepts.
const KEY = "devshop-test-key";
const SECRET = "devshop-test-secret";
const SHOP = "uplift-demo.myshopify.com";

interface Received { topic: string; webhookId: string; hmac: string; body: string }
let receiver: Server;
const received: Received[] = [];
let failNext = 0;
let devshop: Devshop;
let dir: string;
const api = shopifyApi({ apiKey: KEY, apiSecretKey: SECRET, hostName: "localhost:1", apiVersion: ApiVersion.October26, isEmbeddedApp: true, logger: { level: 0 } });

beforeAll(async () => {
  receiver = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (failNext > 0) {
      failNext--;
      res.writeHead(500).end();
      return;
    }
    received.push({ topic: String(req.headers["x-shopify-topic"]), webhookId: String(req.headers["x-shopify-webhook-id"]), hmac: String(req.headers["x-shopify-hmac-sha256"]), body: Buffer.concat(chunks).toString("utf8") });
    res.writeHead(200).end();
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const port = (receiver.address() as { port: number }).port;
  dir = mkdtempSync(path.join(os.tmpdir(), "uplift-devshop-"));
  devshop = await startDevshop({ dataDir: dir, shop: SHOP, apiKey: KEY, apiSecret: SECRET, appUrl: `http://127.0.0.1:${port}`, webhookRetryDelaysMs: [50, 50] });
  installDevshopRouting(devshop.url);
});
afterAll(async () => {
  await devshop.close();
  receiver.close();
  rmSync(dir, { recursive: true, force: true });
});

const waitFor = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  expect(check()).toBe(true);
};

describe("devshop", () => {
  it("signs session tokens that Shopify's library accepts", async () => {
    const payload = await api.session.decodeSessionToken(await mintSessionToken({ shop: SHOP, apiKey: KEY, apiSecret: SECRET }));
    expect(payload).toMatchObject({ iss: `https://${SHOP}/admin`, dest: `https://${SHOP}`, aud: KEY });
  });

  it("exchanges a valid session token for an access token, and refuses forged ones", async () => {
    const { session } = await api.auth.tokenExchange({ shop: SHOP, sessionToken: await mintSessionToken({ shop: SHOP, apiKey: KEY, apiSecret: SECRET }), requestedTokenType: RequestedTokenType.OfflineAccessToken });
    expect(session.accessToken).toMatch(/^shpat_/);
    const forged = await fetch(`https://${SHOP}/admin/oauth/access_token`, {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ client_id: KEY, client_secret: SECRET, grant_type: "urn:ietf:params:oauth:grant-type:token-exchange", subject_token: await mintSessionToken({ shop: SHOP, apiKey: KEY, apiSecret: "other" }), subject_token_type: "urn:ietf:params:oauth:token-type:id_token", requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token" }),
    });
    expect(forged.status).toBe(400);
    expect((await forged.json()).error).toBe("invalid_subject_token");
  });

  it("issues expiring tokens on request, and migrates a non-expiring one with Shopify's library", async () => {
    const sessionToken = await mintSessionToken({ shop: SHOP, apiKey: KEY, apiSecret: SECRET });
    const { session: legacy } = await api.auth.tokenExchange({ shop: SHOP, sessionToken, requestedTokenType: RequestedTokenType.OfflineAccessToken });
    expect(legacy.expires).toBeUndefined();
    const { session: migrated } = await api.auth.migrateToExpiringToken({ shop: SHOP, nonExpiringOfflineAccessToken: legacy.accessToken! });
    expect(migrated.refreshToken).toMatch(/^shprt_/);
    expect(migrated.expires!.getTime()).toBeGreaterThan(Date.now() + 59 * 60_000);
    const shopName = (token: string) => new api.clients.Graphql({ session: new Session({ id: "probe", shop: SHOP, state: "", isOnline: false, accessToken: token }) }).request("{ shop { name } }");
    expect((await shopName(migrated.accessToken!)).data).toMatchObject({ shop: { name: "Uplift Demo Store" } });
    await expect(shopName(legacy.accessToken!)).rejects.toThrow(/401|Unauthorized/);
    // Only a non-expiring token can be migrated.
    await expect(api.auth.migrateToExpiringToken({ shop: SHOP, nonExpiringOfflineAccessToken: migrated.accessToken! })).rejects.toThrow();
    // A lost answer is recovered by retrying with the original token: the same pair again.
    const { session: retried } = await api.auth.migrateToExpiringToken({ shop: SHOP, nonExpiringOfflineAccessToken: legacy.accessToken! });
    expect([retried.accessToken, retried.refreshToken]).toEqual([migrated.accessToken, migrated.refreshToken]);
    // Another token exchange for the installed shop hands out a token without reinstalling,
    // and the token handed out before keeps working until it expires: an embedded admin's
    // concurrent requests each exchange one, and jobs may be using the first.
    const { session: again } = await api.auth.tokenExchange({ shop: SHOP, sessionToken, requestedTokenType: RequestedTokenType.OfflineAccessToken, expiring: true });
    expect(again.refreshToken).toBeDefined();
    expect(again.accessToken).not.toBe(migrated.accessToken);
    expect((await shopName(migrated.accessToken!)).data).toMatchObject({ shop: { name: "Uplift Demo Store" } });
    expect((await shopName(again.accessToken!)).data).toMatchObject({ shop: { name: "Uplift Demo Store" } });
    expect(devshop.webhookLog().filter((w) => w.topic === "app/uninstalled")).toEqual([]);
  });

  it("answers invalid documents as Shopify does", async () => {
    const { session } = await api.auth.tokenExchange({ shop: SHOP, sessionToken: await mintSessionToken({ shop: SHOP, apiKey: KEY, apiSecret: SECRET }), requestedTokenType: RequestedTokenType.OfflineAccessToken });
    const response = await fetch(`https://${SHOP}/admin/api/2026-10/graphql.json`, {
      method: "POST", headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": session.accessToken! },
      body: JSON.stringify({ query: "{ shop { nope } }" }),
    });
    const body = await response.json();
    expect(body.errors[0].message).toContain('Cannot query field "nope" on type "Shop"');
    const unauthorized = await fetch(`https://${SHOP}/admin/api/2026-10/graphql.json`, { method: "POST", headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": "wrong" }, body: "{}" });
    expect(unauthorized.status).toBe(401);
  });

  it("delivers webhooks with Shopify's HMAC, retries failures with the same id, and redelivers", async () => {
    failNext = 1;
    const [deliveryId] = devshop.emit({ shop: SHOP, topic: "products/update", payload: { id: 1, title: "Changed" } });
    await waitFor(() => received.some((r) => r.topic === "products/update"));
    const first = received.find((r) => r.topic === "products/update")!;
    expect(first.hmac).toBe(createHmac("sha256", SECRET).update(first.body).digest("base64"));
    const log = devshop.webhookLog().find((d) => d.id === deliveryId)!;
    expect(log).toMatchObject({ attempts: 2, status: "delivered" });

    const redeliver = await fetch(`${devshop.url}/devshop/webhooks/${deliveryId}/redeliver`, { method: "POST" });
    expect(redeliver.status).toBe(200);
    await waitFor(() => received.filter((r) => r.topic === "products/update").length === 2);
    const ids = received.filter((r) => r.topic === "products/update").map((r) => r.webhookId);
    expect(ids[0]).toBe(ids[1]);
  });
});

describe("devshop webhook subscriptions", () => {
  it("creates subscriptions through the Admin API and delivers to them", async () => {
    const { session } = await api.auth.tokenExchange({ shop: SHOP, sessionToken: await mintSessionToken({ shop: SHOP, apiKey: KEY, apiSecret: SECRET }), requestedTokenType: RequestedTokenType.OfflineAccessToken });
    const client = new api.clients.Graphql({ session });
    const port = (receiver.address() as { port: number }).port;
    const created = await client.request(`mutation($uri: String!) { webhookSubscriptionCreate(topic: BULK_OPERATIONS_FINISH, webhookSubscription: { uri: $uri }) { webhookSubscription { id topic uri } userErrors { message } } }`, { variables: { uri: `http://127.0.0.1:${port}/extra` } });
    expect(created.data?.webhookSubscriptionCreate.webhookSubscription.topic).toBe("BULK_OPERATIONS_FINISH");
    const listed = await client.request(`{ webhookSubscriptions(first: 10, topics: [BULK_OPERATIONS_FINISH]) { nodes { uri } } }`);
    expect(listed.data?.webhookSubscriptions.nodes).toEqual([{ uri: `http://127.0.0.1:${port}/extra` }]);
    devshop.emit({ shop: SHOP, topic: "bulk_operations/finish", payload: { status: "completed" } });
    // One delivery for shopify.app.toml's subscription, one for the one just created.
    await waitFor(() => received.filter((r) => r.topic === "bulk_operations/finish").length === 2);
  });
});

describe("devshop metafields", () => {
  it("stores metafieldsSet values and reads them back by key and by namespace", async () => {
    const { session } = await api.auth.tokenExchange({ shop: SHOP, sessionToken: await mintSessionToken({ shop: SHOP, apiKey: KEY, apiSecret: SECRET }), requestedTokenType: RequestedTokenType.OfflineAccessToken });
    const client = new api.clients.Graphql({ session });
    const ownerId = `gid://shopify/Product/${[...devshop.store.products.keys()][0]}`;
    const set = await client.request(`mutation($metafields: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $metafields) { userErrors { message } } }`, {
      variables: { metafields: [
        { ownerId, namespace: "$app", key: "offers", type: "json", value: '{"bundles":[]}' },
        { ownerId, namespace: "custom", key: "note", type: "single_line_text_field", value: "hello" },
      ] },
    });
    expect(set.data?.metafieldsSet.userErrors).toEqual([]);
    const read = await client.request(`query($id: ID!) { product(id: $id) { metafield(namespace: "$app", key: "offers") { jsonValue } custom: metafields(first: 5, namespace: "custom") { nodes { key value } } } }`, { variables: { id: ownerId } });
    expect(read.data?.product.metafield.jsonValue).toEqual({ bundles: [] });
    expect(read.data?.product.custom.nodes).toEqual([{ key: "note", value: "hello" }]);
  });
});

describe("devshop orders", () => {
  it("answers an order's refunds with the refunded line items and quantities", async () => {
    const { session } = await api.auth.tokenExchange({ shop: SHOP, sessionToken: await mintSessionToken({ shop: SHOP, apiKey: KEY, apiSecret: SECRET }), requestedTokenType: RequestedTokenType.OfflineAccessToken });
    const client = new api.clients.Graphql({ session });
    const order = [...devshop.store.orders.values()].find((o) => !o.cancelledAt && o.lines.some((l) => l.currentQuantity < l.quantity))!;
    const refundedLine = order.lines.find((l) => l.currentQuantity < l.quantity)!;
    const read = await client.request(`query($id: ID!) { order(id: $id) { refunds(first: 5) { totalRefundedSet { shopMoney { amount } } refundLineItems(first: 10) { nodes { quantity lineItem { id } } } } } }`, { variables: { id: `gid://shopify/Order/${order.id}` } });
    const [refund] = read.data?.order.refunds ?? [];
    expect(refund.refundLineItems.nodes).toContainEqual({ quantity: refundedLine.quantity - refundedLine.currentQuantity, lineItem: { id: `gid://shopify/LineItem/${refundedLine.id}` } });
    const intact = [...devshop.store.orders.values()].find((o) => !o.cancelledAt && o.lines.every((l) => l.currentQuantity === l.quantity))!;
    const none = await client.request(`query($id: ID!) { order(id: $id) { refunds { id } } }`, { variables: { id: `gid://shopify/Order/${intact.id}` } });
    expect(none.data?.order.refunds).toEqual([]);
  });
});

describe("devshop webhook delivery when the stand-in stops", () => {
  it("cuts off deliveries under way, writes nothing after its store closes, and resumes them on the next start", async () => {
    // An app that takes the request and never answers: the delivery stays on the wire.
    const requests: { topic: string; aborted: boolean }[] = [];
    const silent = createServer((req) => {
      const request = { topic: String(req.headers["x-shopify-topic"]), aborted: false };
      requests.push(request);
      req.socket.on("close", () => { request.aborted = true; });
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const appUrl = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "uplift-devshop-stop-"));
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on("unhandledRejection", onRejection);
    try {
      const first = await startDevshop({ dataDir, shop: SHOP, apiKey: KEY, apiSecret: SECRET, appUrl, seed: false });
      const [id] = first.emit({ shop: SHOP, topic: "products/update", payload: { id: 1 } });
      await waitFor(() => requests.length === 1);
      await first.close();
      await waitFor(() => requests[0]!.aborted);

      const second = await startDevshop({ dataDir, shop: SHOP, apiKey: KEY, apiSecret: SECRET, appUrl, seed: false });
      try {
        expect(second.webhookLog().find((d) => d.id === id)).toMatchObject({ status: "pending", attempts: 0 });
        await waitFor(() => requests.length === 2);
        expect(requests[1]!.topic).toBe("products/update");
      } finally {
        await second.close();
      }
      expect(rejections).toEqual([]);
    } finally {
      process.off("unhandledRejection", onRejection);
      silent.closeAllConnections();
      silent.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe("devshop resource picker", () => {
  const picker = (query: string) => fetch(`${devshop.url}/admin/resource-picker?shop=${SHOP}&${query}`);

  it("lists products as App Bridge returns them: images, decimal prices, stock, variants", async () => {
    const response = await picker("type=product&query=nimbus%209%20smartphone");
    expect(response.status).toBe(200);
    const body = (await response.json()) as { currency: string; resources: { id: string; title: string; images: { originalSrc: string }[]; totalInventory: number; hasOnlyDefaultVariant: boolean; variants: { id: string; price: string; inventoryQuantity: number; product: { id: string } }[] }[] };
    expect(body.currency).toBe("EUR");
    const phone = body.resources.find((r) => r.title === "Nimbus 9 smartphone")!;
    expect(phone.id).toMatch(/^gid:\/\/shopify\/Product\/\d+$/);
    expect(phone.images[0]!.originalSrc).toMatch(/\/images\/products\/\d+\.svg$/);
    expect(phone.hasOnlyDefaultVariant).toBe(false);
    expect(phone.variants.every((v) => /^\d+\.\d{2}$/.test(v.price) && v.product.id === phone.id)).toBe(true);
    expect(phone.totalInventory).toBe(phone.variants.reduce((n, v) => n + v.inventoryQuantity, 0));
  });

  it("answers preselected ids in full, leaves out drafts when asked, and refuses a malformed query", async () => {
    const listed = (await (await picker("type=product&query=nimbus")).json()) as { resources: { id: string }[] };
    const ids = listed.resources.slice(0, 2).map((r) => r.id);
    const byId = (await (await picker(`type=product&${ids.map((id) => `id=${encodeURIComponent(id)}`).join("&")}`)).json()) as { resources: { id: string }[] };
    expect(byId.resources.map((r) => r.id).sort()).toEqual([...ids].sort());
    const store = devshop.store;
    const draft = [...store.products.values()].find((p) => p.status === "DRAFT");
    if (draft) {
      const shown = (await (await picker(`type=product&draft=false&query=${encodeURIComponent(draft.title)}`)).json()) as { resources: { title: string }[] };
      expect(shown.resources.map((r) => r.title)).not.toContain(draft.title);
    }
    expect((await picker("type=order")).status).toBe(400);
    expect((await picker("type=product&id=1%20OR%201")).status).toBe(400);
  });
});
