import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { parse as parseToml } from "smol-toml";
import { Batcher, gid, minorUnits, outEvent, type OutEvent, type ShopifyEvent } from "../../extensions/pixel/src/events";
import { distinctEvents, eventRow, parseBatch, pixelBatch } from "~/events/batch";
import { admit, RateLimiter } from "~/events/rate-limit";
import { pixelExtensions, settingsError } from "../devshop/storefront/web-pixels.ts";

// The pixel's pure part (what it sends, when), the endpoint's pure part (what it takes, how
// much), and the extension's configuration as Shopify reads it.
const at = "2026-12-02T08:00:00.000Z";
const variant = { id: "gid://shopify/ProductVariant/11", price: { amount: 589, currencyCode: "EUR" }, product: { id: "1" } };

describe("what the pixel sends", () => {
  it("keeps an offer event's offer, version and arm", () => {
    const event: ShopifyEvent = { id: "sh-1", name: "uplift:offer_added", timestamp: at, customData: { offer: "bundle-1", version: "b", arm: "offers", email: "x@y.z" } };
    expect(outEvent(event, "vid-1")).toEqual({ id: "sh-1", at, visitor: "vid-1", name: "uplift:offer_added", offer: "bundle-1", version: "b", arm: "offers" });
  });

  it("reduces standard events to ids and money in minor units, with nothing about the customer", () => {
    expect(outEvent({ id: "sh-2", name: "product_viewed", timestamp: at, data: { productVariant: variant } }, "v")).toEqual({
      id: "sh-2", at, visitor: "v", name: "product_viewed", product: "gid://shopify/Product/1", variant: "gid://shopify/ProductVariant/11", quantity: 1, amount: 58900, currency: "EUR",
    });
    expect(outEvent({ id: "sh-3", name: "product_added_to_cart", timestamp: at, data: { cartLine: { merchandise: variant, quantity: 2, cost: { totalAmount: { amount: 1178, currencyCode: "EUR" } } } } }, "v"))
      .toMatchObject({ quantity: 2, amount: 117800 });
    expect(outEvent({ id: "sh-4", name: "checkout_completed", timestamp: at, data: { checkout: { order: { id: "9001" }, totalPrice: { amount: 1500, currencyCode: "JPY" } } } }, "v"))
      .toEqual({ id: "sh-4", at, visitor: "v", name: "checkout_completed", order: "gid://shopify/Order/9001", amount: 1500, currency: "JPY" });
  });

  it("sends nothing it cannot read, or does not measure", () => {
    expect(outEvent({ id: "sh-5", name: "page_viewed", timestamp: at, data: {} }, "v")).toBeNull();
    expect(outEvent({ id: "sh-6", name: "uplift:offer_viewed", timestamp: at, customData: null }, "v")).toBeNull();
    expect(outEvent({ id: "sh-7", name: "product_viewed", timestamp: at, data: { productVariant: { id: "x" } } }, "v")).toBeNull();
    expect(outEvent({ id: "sh-8", name: "uplift:offer_viewed", timestamp: at, customData: { offer: "o" } }, "")).toBeNull();
    expect(gid("Order", "not-an-id")).toBeNull();
    expect(minorUnits({ amount: -1, currencyCode: "EUR" })).toBeNull();
  });

  it("is what the endpoint takes", () => {
    const events = [
      outEvent({ id: "sh-1", name: "uplift:offer_viewed", timestamp: at, customData: { offer: "bundle-1", version: "a", arm: "holdout" } }, "vid"),
      outEvent({ id: "sh-2", name: "product_viewed", timestamp: at, data: { productVariant: variant } }, "vid"),
      outEvent({ id: "sh-3", name: "checkout_completed", timestamp: at, data: { checkout: { order: null, totalPrice: { amount: 10, currencyCode: "USD" } } } }, "vid"),
    ];
    expect(pixelBatch.safeParse({ shop: "a.myshopify.com", key: "k", events }).success).toBe(true);
  });
});

describe("the pixel's batches", () => {
  const event = (id: string, name: OutEvent["name"] = "uplift:offer_viewed") => ({ id, at, visitor: "v", name, offer: "o", version: "", arm: "" }) as OutEvent;

  it("waits for a quiet moment for views, sends clicks and adds at once, and keeps what failed", async () => {
    vi.useFakeTimers();
    try {
      const sent: string[][] = [];
      let answer: "sent" | "retry" = "sent";
      const batcher = new Batcher(async (events) => (sent.push(events.map((e) => e.id)), answer), { maxBatch: 3, quietMs: 1000, maxQueue: 5 });
      batcher.add(event("a"));
      batcher.add(event("a"));
      batcher.add(event("b"));
      expect(sent).toEqual([]);
      await vi.advanceTimersByTimeAsync(1000);
      expect(sent).toEqual([["a", "b"]]);
      answer = "retry";
      batcher.add(event("c", "uplift:offer_clicked"));
      await vi.advanceTimersByTimeAsync(0);
      expect(sent[1]).toEqual(["c"]);
      expect(batcher.pending.map((e) => e.id)).toEqual(["c"]);
      answer = "sent";
      await vi.advanceTimersByTimeAsync(5000);
      expect(sent[2]).toEqual(["c"]);
      expect(batcher.pending).toEqual([]);
      for (const id of ["1", "2", "3", "4", "5", "6", "7"]) batcher.add(event(id));
      expect(batcher.pending.length).toBeLessThanOrEqual(5);
      batcher.clear();
      expect(batcher.pending).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("the endpoint's batch", () => {
  const good = { id: "e1", name: "uplift:offer_clicked", at, visitor: "v", offer: "o", version: "a", arm: "offers" };

  it("parses a batch and drops repeats of an id", () => {
    const parsed = parseBatch(JSON.stringify({ shop: "a.myshopify.com", key: "k", events: [good, good] }));
    expect(parsed.ok && distinctEvents(parsed.batch.events)).toHaveLength(1);
    expect(parsed.ok && eventRow("a.myshopify.com", parsed.batch.events[0]!)).toMatchObject({ shop: "a.myshopify.com", eventId: "e1", offerId: "o", occurredAt: new Date(at) });
  });

  it("says what is wrong without echoing the body", () => {
    expect(parseBatch("{")).toEqual({ ok: false, error: "The body is not JSON." });
    const bad = parseBatch(JSON.stringify({ shop: "a.myshopify.com", key: "k", events: [{ ...good, offer: "<img src=x>" }] }));
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/^events\.0\.offer: /);
    expect(!bad.ok && bad.error).not.toContain("<img");
  });
});

describe("rate limits", () => {
  it("refills over time and admits a batch all or nothing across the shop and its visitors", () => {
    const limits = { shop: new RateLimiter({ capacity: 10, perSecond: 5 }), visitor: new RateLimiter({ capacity: 4, perSecond: 1 }) };
    expect(admit(limits, "s", new Map([["a", 4]]), 4, 0)).toBeNull();
    expect(admit(limits, "s", new Map([["a", 1], ["b", 1]]), 2, 0)).toBe(1);
    // Nothing was taken from b by the refused batch.
    expect(admit(limits, "s", new Map([["b", 4]]), 4, 0)).toBeNull();
    expect(admit(limits, "s", new Map([["c", 4]]), 4, 0)).toBe(1); // the shop has 2 left
    expect(admit(limits, "s", new Map([["c", 4]]), 4, 1000)).toBeNull();
    expect(admit(limits, "s", new Map([["a", 2]]), 2, 2000)).toBeNull();
  });

  it("holds at most its bound of keys, dropping the least recently used", () => {
    const limiter = new RateLimiter({ capacity: 2, perSecond: 1 }, 3);
    for (const key of ["a", "b", "c"]) limiter.take(key, 2, 0);
    limiter.take("a", 0, 0);
    limiter.take("d", 2, 0);
    expect(limiter.size).toBe(3);
    expect(limiter.waitSeconds("a", 1, 0)).toBe(1);
    expect(limiter.waitSeconds("b", 1, 0)).toBe(0); // forgotten: a full bucket again
  });
});

describe("the extension's configuration", () => {
  const toml = parseToml(readFileSync(path.resolve(__dirname, "../../extensions/pixel/shopify.extension.toml"), "utf8")) as Record<string, unknown>;

  it("is a strict web pixel that asks for analytics consent only", () => {
    expect(toml).toMatchObject({ type: "web_pixel_extension", runtime_context: "strict", customer_privacy: { analytics: true, marketing: false, preferences: false, sale_of_data: "disabled" } });
  });

  it("declares the settings the app writes, as the stand-in checks them", async () => {
    const [extension] = pixelExtensions();
    const { pixelSettings } = await import("~/events/pixel-key.server");
    process.env.SHOPIFY_API_SECRET ??= "unit-test-secret";
    expect(settingsError(extension!, JSON.stringify(pixelSettings("a.myshopify.com")))).toBeNull();
    expect(settingsError(extension!, { shop: "a.myshopify.com", key: "", ingestUrl: "https://x" })?.code).toBe("INVALID_SETTINGS");
    expect(settingsError(extension!, "{")?.code).toBe("INVALID_CONFIGURATION_JSON");
  });
});
