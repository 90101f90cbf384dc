// What the pixel sends: Shopify's events reduced to what Uplift measures with (no customer
// data, no addresses, no URLs), in the shape the app's ingestion endpoint checks
// (app/events/batch.ts). Pure, so it is tested without a sandbox.

export interface PixelSettings { shop: string; key: string; ingestUrl: string }

export interface Privacy {
  analyticsProcessingAllowed: boolean;
  marketingAllowed: boolean;
  preferencesProcessingAllowed: boolean;
  saleOfDataAllowed: boolean;
}

/** Uplift measures offers: analytics is what the shopper must allow (shopify.extension.toml). */
export const allowed = (privacy: Privacy | null | undefined): boolean => privacy?.analyticsProcessingAllowed === true;

export const OFFER_EVENTS = ["uplift:offer_viewed", "uplift:offer_clicked", "uplift:offer_added"] as const;
export const STANDARD_EVENTS = ["product_viewed", "product_added_to_cart", "checkout_completed"] as const;

interface Money { amount: number; currencyCode: string }
interface Variant { id?: string | null; price?: Money | null; product?: { id?: string | null } | null }

/** The parts of Shopify's pixel events the pixel reads (@shopify/web-pixels-extension's types). */
export interface ShopifyEvent {
  id: string;
  name: string;
  timestamp: string;
  clientId?: string;
  customData?: Record<string, unknown> | null;
  data?: {
    productVariant?: Variant | null;
    cartLine?: { merchandise?: Variant | null; quantity?: number; cost?: { totalAmount?: Money | null } | null } | null;
    checkout?: { order?: { id?: string | null } | null; totalPrice?: Money | null; currencyCode?: string | null } | null;
  };
}

export type OutEvent =
  | { id: string; at: string; visitor: string; name: (typeof OFFER_EVENTS)[number]; offer: string; version: string; arm: string }
  | { id: string; at: string; visitor: string; name: "product_viewed" | "product_added_to_cart"; product: string; variant: string; quantity: number; amount: number; currency: string }
  | { id: string; at: string; visitor: string; name: "checkout_completed"; order: string | null; amount: number; currency: string };

/** Shopify's ids come numeric or as GIDs depending on the surface: always a GID here. */
export function gid(type: string, id: string | null | undefined): string | null {
  if (!id) return null;
  const numeric = /(\d+)$/.exec(String(id))?.[1];
  return numeric ? `gid://shopify/${type}/${numeric}` : null;
}

/** A decimal amount in the currency's minor units (JPY has none, EUR two). */
export function minorUnits(money: Money | null | undefined): { amount: number; currency: string } | null {
  if (!money || !Number.isFinite(money.amount) || money.amount < 0 || !/^[A-Z]{3}$/.test(money.currencyCode)) return null;
  const digits = new Intl.NumberFormat("en", { style: "currency", currency: money.currencyCode }).resolvedOptions().maximumFractionDigits ?? 2;
  return { amount: Math.round(money.amount * 10 ** digits), currency: money.currencyCode };
}

const TOKEN = /[^A-Za-z0-9_:./-]/g;
const clean = (value: unknown, max = 64) => String(value ?? "").replace(TOKEN, "").slice(0, max);

/** The event as the app takes it, or null for one the pixel does not send (or cannot read). */
export function outEvent(event: ShopifyEvent, visitor: string): OutEvent | null {
  const base = { id: clean(event.id, 100), at: event.timestamp, visitor: clean(visitor) };
  if (!base.id || !base.visitor) return null;
  if ((OFFER_EVENTS as readonly string[]).includes(event.name)) {
    const data = event.customData ?? {};
    const offer = clean(data.offer);
    return offer ? { ...base, name: event.name as OutEvent["name"] & (typeof OFFER_EVENTS)[number], offer, version: clean(data.version).replace(/[:./]/g, ""), arm: clean(data.arm).replace(/[./]/g, "") } : null;
  }
  if (event.name === "product_viewed" || event.name === "product_added_to_cart") {
    const line = event.data?.cartLine;
    const variant = event.name === "product_viewed" ? event.data?.productVariant : line?.merchandise;
    const product = gid("Product", variant?.product?.id), variantId = gid("ProductVariant", variant?.id);
    const money = minorUnits(event.name === "product_viewed" ? variant?.price : line?.cost?.totalAmount);
    if (!product || !variantId || !money) return null;
    return { ...base, name: event.name, product, variant: variantId, quantity: event.name === "product_viewed" ? 1 : Math.max(1, Math.round(line?.quantity ?? 1)), ...money };
  }
  if (event.name === "checkout_completed") {
    const checkout = event.data?.checkout;
    const money = minorUnits(checkout?.totalPrice);
    return money ? { ...base, name: "checkout_completed", order: gid("Order", checkout?.order?.id), ...money } : null;
  }
  return null;
}

/**
 * Events wait here until they are sent: a batch goes when it is full, when nothing new came for
 * a moment, or at once for what a navigation may follow (a click, an add, a completed
 * checkout). What the app did not acknowledge stays for the next try (the app deduplicates on
 * the event id, so sending twice is harmless); consent withdrawn empties it.
 */
export class Batcher {
  private queue: OutEvent[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private sending = false;

  constructor(
    private readonly send: (events: OutEvent[]) => Promise<"sent" | "retry" | "drop">,
    private readonly options: { maxBatch: number; quietMs: number; maxQueue: number } = { maxBatch: 20, quietMs: 1000, maxQueue: 200 },
  ) {}

  get pending(): readonly OutEvent[] {
    return this.queue;
  }

  add(event: OutEvent): void {
    if (this.queue.some((e) => e.id === event.id)) return;
    this.queue.push(event);
    // A page left open for hours must not grow without bound: the oldest go first.
    if (this.queue.length > this.options.maxQueue) this.queue.splice(0, this.queue.length - this.options.maxQueue);
    const urgent = event.name !== "uplift:offer_viewed" && event.name !== "product_viewed";
    if (urgent || this.queue.length >= this.options.maxBatch) void this.flush();
    else this.later(this.options.quietMs);
  }

  clear(): void {
    this.queue = [];
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.sending || !this.queue.length) return;
    this.sending = true;
    const batch = this.queue.slice(0, this.options.maxBatch);
    let outcome: "sent" | "retry" | "drop";
    try {
      outcome = await this.send(batch);
    } catch {
      outcome = "retry";
    }
    this.sending = false;
    if (outcome !== "retry") this.queue = this.queue.filter((e) => !batch.includes(e));
    if (outcome === "retry") this.later(this.options.quietMs * 5);
    else if (this.queue.length) void this.flush();
  }

  private later(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), ms);
  }
}
