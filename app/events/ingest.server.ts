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
  if (!(await installed(shop))) return json(403, { error: "This pixel is not connected to Uplift." });
  const result = await storeEvents(events.map((e) => eventRow(shop, e)));
  return json(202, result);
}

/**
 * Whether the shop is installed, remembered for a few seconds per instance: every batch would
 * otherwise read the Shop row. An uninstall reaches the pixel's batches within INSTALLED_TTL_MS
 * (its data stays until shop/redact, 48 hours later, which erases these events with the rest).
 */
const INSTALLED_TTL_MS = 5_000;
const installedCache = new Map<string, { installed: boolean; until: number }>();
async function installed(shop: string): Promise<boolean> {
  const now = Date.now();
  const cached = installedCache.get(shop);
  if (cached && cached.until > now) return cached.installed;
  const answer = await isInstalled(shop);
  installedCache.delete(shop);
  installedCache.set(shop, { installed: answer, until: now + INSTALLED_TTL_MS });
  if (installedCache.size > 10_000) installedCache.delete(installedCache.keys().next().value!);
  return answer;
}

/**
 * Stores the rows whose event id the shop has not stored yet: one insert when all are new (the
 * usual case); when some were stored before (a retried batch) or arrive in another batch at the
 * same moment, each row is inserted alone and a unique violation counts as a duplicate.
 */
export async function storeEvents(rows: PixelEventRow[]): Promise<IngestResult> {
  if (!rows.length) return { stored: 0, duplicates: 0 };
  try {
    await prisma.pixelEvent.createMany({ data: rows });
    return { stored: rows.length, duplicates: 0 };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  let stored = 0;
  for (const row of rows) {
    try {
      await prisma.pixelEvent.create({ data: row });
      stored++;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
  return { stored, duplicates: rows.length - stored };
}
