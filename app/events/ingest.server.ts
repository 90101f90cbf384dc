// The ingestion endpoint's one hop (POST /pixel/events): read at most 64 KB, check the batch's
// shape and the shop's pixel key, admit it against the rate limits, and store each event once.
// The pixel sends from a sandboxed worker on the storefront's origin, as text/plain so that no
// CORS preflight is needed; every answer carries the CORS headers the browser wants.
// Malformed, forged or oversized batches get 4xx; nothing a sender does makes a 500.
import prisma from "~/db.server";
import { isInstalled } from "~/shop/lifecycle.server";
import { isUniqueViolation, readLimited } from "~/webhooks/receive.server";
import { distinctEvents, eventRow, MAX_BATCH_BYTES, parseBatch, type PixelEventRow } from "./batch";
import { admit, RateLimiter, type Limits } from "./rate-limit";
import { isPixelKey } from "./pixel-key.server";

/** Any storefront origin may send: a shop's domains are many (custom domains) and no cookie is sent. */
export const CORS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "POST, OPTIONS",
  "Access-Control-Allow-Headers": "Content-Type",
  "Access-Control-Max-Age": "86400",
};

/**
 * A shopper's pixel sends a few events a minute; a visitor may burst 100 and keep 2 a second.
 * A shop may burst 5,000 and keep 1,000 a second per instance (a flash sale's traffic), which
 * also caps a forger who rotates visitor ids. UPLIFT_PIXEL_LIMITS="shopCap,shopRate,visitorCap,visitorRate"
 * overrides them (benchmarks).
 */
function limitsFromEnv(): Limits {
  const [shopCap, shopRate, visitorCap, visitorRate] = (process.env.UPLIFT_PIXEL_LIMITS ?? "").split(",").map(Number);
  return {
    shop: new RateLimiter({ capacity: shopCap || 5_000, perSecond: shopRate || 1_000 }, 10_000),
    visitor: new RateLimiter({ capacity: visitorCap || 100, perSecond: visitorRate || 2 }, 100_000),
  };
}
const limits = limitsFromEnv();

const json = (status: number, body: unknown, extra: Record<string, string> = {}) =>
  Response.json(body, { status, headers: { ...CORS, "Cache-Control": "no-store", ...extra } });

export interface IngestResult { stored: number; duplicates: number }

export async function ingestPixelEvents(request: Request): Promise<Response> {
  if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: CORS });
  if (request.method !== "POST") return json(405, { error: "Send events with POST." }, { Allow: "POST, OPTIONS" });
  const raw = await readLimited(request, MAX_BATCH_BYTES).catch(() => null);
  if (raw === null) return json(413, { error: `Batches over ${MAX_BATCH_BYTES} bytes are refused.` });
  const parsed = parseBatch(raw);
  if (!parsed.ok) return json(400, { error: parsed.error });
  const { shop, key } = parsed.batch;
  // The same answer for a wrong key and an unknown shop: a prober learns nothing.
  if (!isPixelKey(shop, key)) return json(403, { error: "This pixel is not connected to Uplift." });
  const events = distinctEvents(parsed.batch.events);
  const visitors = new Map<string, number>();
  for (const e of events) visitors.set(e.visitor, (visitors.get(e.visitor) ?? 0) + 1);
  const wait = admit(limits, shop, visitors, events.length, Date.now());
  if (wait !== null) return json(429, { error: "Too many events; send them again later." }, { "Retry-After": String(wait) });
  if (!(await isInstalled(shop))) return json(403, { error: "This pixel is not connected to Uplift." });
  const result = await storeEvents(events.map((e) => eventRow(shop, e)));
  return json(202, result);
}

/**
 * Stores the rows whose event id the shop has not stored yet. Two batches carrying the same
 * event at once can both find it new: the loser's unique violation is a duplicate, not an error.
 */
export async function storeEvents(rows: PixelEventRow[]): Promise<IngestResult> {
  if (!rows.length) return { stored: 0, duplicates: 0 };
  const shop = rows[0]!.shop;
  const known = await prisma.pixelEvent.findMany({ where: { shop, eventId: { in: rows.map((r) => r.eventId) } }, select: { eventId: true } });
  const seen = new Set(known.map((k) => k.eventId));
  const fresh = rows.filter((r) => !seen.has(r.eventId));
  try {
    await prisma.pixelEvent.createMany({ data: fresh });
    return { stored: fresh.length, duplicates: rows.length - fresh.length };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  let stored = 0;
  for (const row of fresh) {
    try {
      await prisma.pixelEvent.create({ data: row });
      stored++;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
  return { stored, duplicates: rows.length - stored };
}
