// Uplift's web pixel (strict sandbox: a worker without DOM). It listens to the offer events
// the storefront blocks publish and the standard events Uplift measures with, and sends them
// in batches to the app. Nothing is sent, or kept, without the shopper's analytics consent.
import { register } from "@shopify/web-pixels-extension";
import { allowed, Batcher, OFFER_EVENTS, outEvent, STANDARD_EVENTS, type OutEvent, type PixelSettings, type ShopifyEvent } from "./events";

const PENDING = "uplift_pixel_pending";

register(({ analytics, browser, init, settings, customerPrivacy }) => {
  const config = settings as PixelSettings;
  let consent = allowed(init.customerPrivacy);

  const send = async (events: OutEvent[]): Promise<"sent" | "retry" | "drop"> => {
    if (!consent) return "drop";
    const response = await fetch(config.ingestUrl, {
      method: "POST",
      // text/plain keeps it a simple CORS request: no preflight before every batch.
      headers: { "Content-Type": "text/plain;charset=UTF-8" },
      body: JSON.stringify({ shop: config.shop, key: config.key, events }),
      keepalive: true,
    });
    if (response.ok) return "sent";
    return response.status === 429 || response.status >= 500 ? "retry" : "drop";
  };
  const batcher = new Batcher(async (events) => {
    const outcome = await send(events);
    await remember();
    return outcome;
  });
  // What is not acknowledged yet survives a navigation in this tab, and goes on the next page.
  const remember = () => (consent ? browser.sessionStorage.setItem(PENDING, JSON.stringify(batcher.pending)) : browser.sessionStorage.removeItem(PENDING));

  customerPrivacy.subscribe("visitorConsentCollected", (event) => {
    consent = allowed(event.customerPrivacy);
    if (!consent) {
      batcher.clear();
      void remember();
    }
  });

  const visitor = async (event: ShopifyEvent) => (await browser.cookie.get("_uplift_vid")) || event.clientId || "";
  const take = async (event: ShopifyEvent) => {
    if (!consent) return;
    const out = outEvent(event, await visitor(event));
    if (!out) return;
    batcher.add(out);
    await remember();
  };

  void (async () => {
    if (!consent) return;
    try {
      const left = JSON.parse((await browser.sessionStorage.getItem(PENDING)) ?? "[]") as OutEvent[];
      for (const e of Array.isArray(left) ? left : []) batcher.add(e);
    } catch {
      // A damaged leftover is dropped: the events it held are lost, the pixel goes on.
    }
  })();

  for (const name of [...OFFER_EVENTS, ...STANDARD_EVENTS]) analytics.subscribe(name, (event) => void take(event as unknown as ShopifyEvent));
});
