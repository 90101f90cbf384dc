// Webhook delivery as Shopify does it: app-specific subscriptions from shopify.app.toml,
// Shopify's headers and HMAC, retries with backoff, the same webhook id on every retry.
import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { parse } from "smol-toml";
import type { Store } from "./store.ts";

export interface Subscription { topic: string; uri: string }

export function subscriptionsFromToml(file: string, appUrl: string): Subscription[] {
  const toml = parse(readFileSync(file, "utf8")) as { webhooks?: { subscriptions?: { topics?: string[]; compliance_topics?: string[]; uri: string }[] } };
  return (toml.webhooks?.subscriptions ?? []).flatMap((s) =>
    [...(s.topics ?? []), ...(s.compliance_topics ?? [])].map((topic) => ({ topic, uri: new URL(s.uri, appUrl).toString() })));
}

const RESOURCES = ["app_subscriptions", "bulk_operations", "inventory_items", "inventory_levels", "app", "carts", "checkouts", "collections", "customers", "fulfillments", "orders", "products", "refunds", "shop", "themes", "variants"];

/** PRODUCTS_UPDATE -> products/update, BULK_OPERATIONS_FINISH -> bulk_operations/finish. */
export function restTopic(graphqlTopic: string): string {
  const lower = graphqlTopic.toLowerCase();
  const resource = RESOURCES.find((r) => lower.startsWith(`${r}_`));
  return resource ? `${resource}/${lower.slice(resource.length + 1)}` : lower.replace("_", "/");
}

export interface WebhookOptions {
  store: Store;
  apiSecret: string;
  apiVersion: string;
  subscriptions: Subscription[];
  retryDelaysMs: number[];
}

export function createWebhookSender(options: WebhookOptions) {
  const { store } = options;
  const timers = new Set<NodeJS.Timeout>();
  // Deliveries on the wire. Stopping aborts them and waits for them, so none writes its
  // outcome into a store that has been closed in the meantime ("database is not open").
  const inFlight = new Set<Promise<void>>();
  const stopping = new AbortController();

  async function attempt(deliveryId: number): Promise<void> {
    const row = store.db.prepare("SELECT * FROM webhook_deliveries WHERE id = ?").get(deliveryId) as Record<string, string | number> | undefined;
    if (!row || row.status === "delivered") return;
    const body = String(row.payload);
    const attempts = Number(row.attempts) + 1;
    let error: string | null = null;
    try {
      const response = await fetch(String(row.uri), {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "X-Shopify-Topic": String(row.topic),
          "X-Shopify-Hmac-Sha256": createHmac("sha256", options.apiSecret).update(body).digest("base64"),
          "X-Shopify-Shop-Domain": String(row.shop),
          "X-Shopify-API-Version": options.apiVersion,
          "X-Shopify-Webhook-Id": String(row.webhook_id),
          "X-Shopify-Triggered-At": String(row.created_at),
          "X-Shopify-Event-Id": String(row.webhook_id),
        },
        body,
        signal: AbortSignal.any([AbortSignal.timeout(5000), stopping.signal]),
      });
      if (!response.ok) error = `HTTP ${response.status}`;
      await response.body?.cancel();
    } catch (e) {
      error = (e as Error).message;
    }
    // Cut off by a stop: still pending in the store, resumed on the next start.
    if (stopping.signal.aborted) return;
    const retryIn = options.retryDelaysMs[attempts - 1];
    const status = error === null ? "delivered" : retryIn === undefined ? "failed" : "pending";
    store.db.prepare("UPDATE webhook_deliveries SET attempts = ?, status = ?, last_error = ?, delivered_at = ? WHERE id = ?")
      .run(attempts, status, error, error === null ? new Date().toISOString() : null, deliveryId);
    if (status === "pending") schedule(deliveryId, retryIn!);
  }

  function schedule(deliveryId: number, delayMs: number) {
    const timer = setTimeout(() => {
      timers.delete(timer);
      const delivery = attempt(deliveryId).finally(() => inFlight.delete(delivery));
      inFlight.add(delivery);
    }, delayMs);
    timers.add(timer);
  }

  /** Queues one delivery per subscriber of the topic; returns the delivery ids. */
  function send(shop: string, topic: string, payload: unknown): number[] {
    const ids: number[] = [];
    const created = store.db.prepare("SELECT topic, uri FROM webhook_subscriptions WHERE shop = ? AND topic = ?").all(shop, topic) as unknown as Subscription[];
    for (const s of [...options.subscriptions.filter((sub) => sub.topic === topic), ...created]) {
      const { lastInsertRowid } = store.db.prepare(
        "INSERT INTO webhook_deliveries (webhook_id, shop, topic, uri, payload, status, created_at) VALUES (?, ?, ?, ?, ?, 'pending', ?)",
      ).run(randomUUID(), shop, topic, s.uri, JSON.stringify(payload), new Date().toISOString());
      ids.push(Number(lastInsertRowid));
      schedule(Number(lastInsertRowid), 0);
    }
    return ids;
  }

  /** Sends a delivered webhook again with the same id, as Shopify's duplicates do. */
  function redeliver(deliveryId: number): boolean {
    const updated = store.db.prepare("UPDATE webhook_deliveries SET status = 'pending' WHERE id = ?").run(deliveryId);
    if (!updated.changes) return false;
    schedule(deliveryId, 0);
    return true;
  }

  /** Deliveries still pending when the stand-in stopped are resumed. */
  function resume(): void {
    const pending = store.db.prepare("SELECT id FROM webhook_deliveries WHERE status = 'pending'").all() as { id: number }[];
    for (const { id } of pending) schedule(id, 0);
  }

  function log(): Record<string, unknown>[] {
    return store.db.prepare("SELECT id, webhook_id, shop, topic, uri, attempts, status, last_error, created_at, delivered_at FROM webhook_deliveries ORDER BY id").all() as Record<string, unknown>[];
  }

  /** No new attempts, the ones under way cut off; resolves once none can touch the store. */
  async function stop(): Promise<void> {
    stopping.abort();
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    await Promise.allSettled(inFlight);
  }

  return { send, redeliver, resume, log, stop };
}
