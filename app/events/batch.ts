// What the web pixel (extensions/pixel) sends to the ingestion endpoint, and the rows it becomes.
// Pure: the shape is checked here, the shop and the storage in ingest.server.ts.
//
// Everything in a batch comes from a public browser: the pixel's settings (shop and key) are
// readable by anyone who opens the storefront, so a batch proves only that its sender knew an
// installed shop's public key. The shape limits what a forger can make us store (docs/SECURITY.md).
import { z } from "zod";

/** The events Uplift stores: its blocks' custom events and the standard ones it measures with. */
export const EVENT_NAMES = [
  "uplift:offer_viewed", "uplift:offer_clicked", "uplift:offer_added",
  "product_viewed", "product_added_to_cart", "checkout_completed",
] as const;
export type EventName = (typeof EVENT_NAMES)[number];

/** A batch is at most this many events and this many bytes: the pixel sends smaller ones. */
export const MAX_EVENTS_PER_BATCH = 50;
export const MAX_BATCH_BYTES = 64 * 1024;

const token = (max: number) => z.string().min(1).max(max).regex(/^[A-Za-z0-9_:./-]+$/);
const gidOf = (type: string) => z.string().max(100).regex(new RegExp(`^gid://shopify/${type}/\\d+$`));
const currency = z.string().regex(/^[A-Z]{3}$/);
/** Minor units: a sale over a hundred million in any currency is not a shopper's. */
const minor = z.number().int().min(0).max(100_000_000_00);

const common = {
  /** The pixel API's event id: the same event sent twice is stored once. */
  id: token(100),
  /** When it happened on the shopper's clock (ISO 8601). */
  at: z.string().datetime({ offset: true }),
  /** `_uplift_vid`, or Shopify's client id without it. */
  visitor: token(64),
};

const offerEvent = z.object({
  ...common,
  name: z.enum(["uplift:offer_viewed", "uplift:offer_clicked", "uplift:offer_added"]),
  offer: token(64),
  version: z.string().max(64).regex(/^[A-Za-z0-9_-]*$/),
  arm: z.string().max(64).regex(/^[A-Za-z0-9_:-]*$/),
}).strict();

const productEvent = z.object({
  ...common,
  name: z.enum(["product_viewed", "product_added_to_cart"]),
  product: gidOf("Product"),
  variant: gidOf("ProductVariant"),
  quantity: z.number().int().min(1).max(10_000),
  amount: minor,
  currency,
}).strict();

const checkoutEvent = z.object({
  ...common,
  name: z.literal("checkout_completed"),
  order: gidOf("Order").nullable(),
  amount: minor,
  currency,
}).strict();

export const pixelEvent = z.discriminatedUnion("name", [offerEvent, productEvent, checkoutEvent]);
export type PixelEvent = z.infer<typeof pixelEvent>;

export const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]{0,60}\.myshopify\.com$/;

export const pixelBatch = z.object({
  shop: z.string().regex(SHOP_DOMAIN),
  /** The pixel key the app put in the pixel's settings at install (see pixel.server.ts). */
  key: z.string().min(1).max(100),
  events: z.array(pixelEvent).min(1).max(MAX_EVENTS_PER_BATCH),
}).strict();
export type PixelBatch = z.infer<typeof pixelBatch>;

export type ParsedBatch = { ok: true; batch: PixelBatch } | { ok: false; error: string };

/** A request body as a batch, or why not (the answer's message: no stack, no echo of the body). */
export function parseBatch(raw: string): ParsedBatch {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, error: "The body is not JSON." };
  }
  const parsed = pixelBatch.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, error: `${issue.path.join(".") || "body"}: ${issue.message}` };
  }
  return { ok: true, batch: parsed.data };
}

/** A batch's events without repeats of one id (a retried event may sit twice in one batch). */
export function distinctEvents(events: PixelEvent[]): PixelEvent[] {
  const seen = new Set<string>();
  return events.filter((e) => !seen.has(e.id) && seen.add(e.id));
}

export interface PixelEventRow {
  shop: string; eventId: string; name: EventName; visitorId: string; occurredAt: Date;
  offerId: string | null; version: string | null; arm: string | null;
  productId: string | null; variantId: string | null; quantity: number | null;
  amountMinor: number | null; currency: string | null; orderId: string | null;
}

/** The row an event is stored as. */
export function eventRow(shop: string, e: PixelEvent): PixelEventRow {
  const base = {
    shop, eventId: e.id, name: e.name, visitorId: e.visitor, occurredAt: new Date(e.at),
    offerId: null, version: null, arm: null, productId: null, variantId: null, quantity: null, amountMinor: null, currency: null, orderId: null,
  };
  switch (e.name) {
    case "uplift:offer_viewed":
    case "uplift:offer_clicked":
    case "uplift:offer_added":
      return { ...base, offerId: e.offer, version: e.version, arm: e.arm };
    case "product_viewed":
    case "product_added_to_cart":
      return { ...base, productId: e.product, variantId: e.variant, quantity: e.quantity, amountMinor: e.amount, currency: e.currency };
    case "checkout_completed":
      return { ...base, orderId: e.order, amountMinor: e.amount, currency: e.currency };
  }
}
